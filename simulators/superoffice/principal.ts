import Router from '@koa/router';
import type { DemoAssociate, DemoTenant } from '../demo-tenant.types.js';
import type { SimRequestState } from './sim.types.js';

/** `SoPrincipalCarrier` exactly as `GET User/currentPrincipal` documents it (PascalCase, enums as names). */
export interface SoPrincipalCarrier {
  UserType: 'InternalAssociate';
  Associate: string;
  AssociateId: number;
  IsPerson: boolean;
  PersonId: number;
  CountryId: number;
  HomeCountryId: number;
  ContactId: number;
  GroupId: number;
  BusinessId: number;
  CategoryId: number;
  ContactOwner: number;
  RoleId: number;
  RoleName: string;
  RoleDescription: string;
  RoleType: 'Employee';
  Licenses: Record<string, unknown>[];
  FullName: string;
  EMailAddress: string;
  FunctionRights: string[];
  EjUserId: number;
  EjAccessLevel: number;
  EjUserStatus: string;
  ProvidedCredentials: { Type: string; SearchName: string; DisplayName: string; CredentialId: number }[];
  SecondaryGroups: number[];
  DatabaseContextIdentifier: string;
  UserName: string;
}

/** A stable small id for a role name, so RoleId is the same for everyone with the same role. */
export function roleIdOf(roleName: string): number {
  let hash = 0;
  for (const ch of roleName) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
  return hash + 1;
}

export function principalOf(tenant: DemoTenant, associate: DemoAssociate, databaseContextIdentifier = tenant.contextId): SoPrincipalCarrier {
  return {
    UserType: 'InternalAssociate',
    Associate: associate.assocName,
    AssociateId: associate.associateId,
    IsPerson: true,
    PersonId: associate.personId,
    CountryId: 578,
    HomeCountryId: 578,
    ContactId: associate.contactId,
    GroupId: associate.usergroupId,
    BusinessId: 0,
    CategoryId: 0,
    ContactOwner: 0,
    RoleId: roleIdOf(associate.roleName),
    RoleName: associate.roleName,
    RoleDescription: '',
    RoleType: 'Employee',
    Licenses: [
      {
        OwnerId: 1,
        OwnerName: 'SuperOffice',
        OwnerDescription: 'SuperOffice AS',
        ModuleId: 1,
        Name: 'superoffice_ten-sales',
        Description: 'Sales Premium',
        Version: '',
        LicenseType: 'UserLicense',
        ExtraFlags: 0,
        ExtraInfo: '',
        SortOrder: 0,
        LicenseNumber: 0,
        IsHidden: false,
        IsUnrestricted: false,
        ExpiryDate: '0001-01-01T00:00:00',
        TableRight: null,
        FieldProperties: {},
      },
    ],
    FullName: associate.fullName,
    EMailAddress: associate.personEmail ?? '',
    // Documented as sorted, so callers may binary-search it.
    FunctionRights: [...associate.functionRights].sort(),
    EjUserId: 0,
    EjAccessLevel: 0,
    EjUserStatus: 'StatusNone',
    ProvidedCredentials: [{ Type: 'SuperIdToken', SearchName: associate.userName, DisplayName: associate.userName, CredentialId: 0 }],
    SecondaryGroups: [],
    DatabaseContextIdentifier: databaseContextIdentifier,
    UserName: associate.userName,
  };
}

/** `GET User/currentPrincipal`: works in Online and calls no agent. */
export function userRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();
  router.get('/User/currentPrincipal', (ctx) => {
    const { tenant, associate } = ctx.state.caller;
    ctx.body = principalOf(tenant.tenant, associate, ctx.state.sim.databaseContextIdentifier(tenant.tenant.contextId));
  });
  return router;
}
