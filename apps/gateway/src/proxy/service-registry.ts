import { ROUTED_SERVICES, type RoutedService } from '../config';

/** Where each service behind the gateway answers; a service without a URL is not deployed. */
export class ServiceRegistry {
  private readonly urls = new Map<RoutedService, URL>();

  constructor(config: Record<string, unknown>) {
    for (const s of ROUTED_SERVICES) {
      const value = config[`${s.toUpperCase()}_URL`];
      if (typeof value === 'string') this.urls.set(s, new URL(value));
    }
  }

  get(service: string): URL | undefined {
    return this.urls.get(service as RoutedService);
  }

  entries(): [RoutedService, URL][] {
    return [...this.urls.entries()];
  }
}
