import { HealthReportElement } from './internal/health-report.js';

export { HealthReportElement };
export { FIX_OF, groupByKind, fixRequest, type HealthFix } from './internal/health-fixes.js';

customElements.define('so-health-report', HealthReportElement);

declare global {
  interface HTMLElementTagNameMap {
    'so-health-report': HealthReportElement;
  }
}
