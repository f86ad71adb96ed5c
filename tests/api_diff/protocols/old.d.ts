/** Receives the events of a thing. */
export interface ThingListener {
  /** A thing was created. */
  created(id: string): void;
  /** A thing was removed. */
  removed(id: string): void;
}
export interface ThingOptions { listener: ThingListener; name: string }
