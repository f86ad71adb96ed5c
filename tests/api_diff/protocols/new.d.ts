/** Receives the events of a thing. */
export interface ThingListener {
  /** A thing was created. */
  created(id: string, at: number): void;
  /** A thing was renamed. */
  renamed(id: string, name: string): boolean;
}
export interface ThingOptions { listener: ThingListener; name: string }
