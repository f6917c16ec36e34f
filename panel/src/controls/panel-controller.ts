import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Base of the panel's controllers: each is bound to one host element, wired with what it needs
 * of the host (`o`, callbacks the host passes in), and asks the host to render again when its
 * own state changes.
 */
export abstract class PanelController<O> implements ReactiveController {
  hostConnected?(): void;
  hostDisconnected?(): void;
  hostUpdate?(): void;
  hostUpdated?(): void;

  protected readonly host: ReactiveControllerHost;
  protected readonly o: O;

  constructor(host: ReactiveControllerHost, options: O) {
    this.host = host;
    this.o = options;
    host.addController(this);
  }
}
