import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    create(body: ThingCreateParams, options?: RequestOptions): APIPromise<Thing>;
    /** @deprecated Use `list` with an id filter. */
    retrieve(thingID: string, options?: RequestOptions): APIPromise<Thing>;
}
export interface Thing {
    id: string;
    /** @deprecated Use `name`. */
    label?: string;
}
export interface ThingCreateParams { name: string; }
/**
 * A legacy shape.
 * @deprecated Gone in the next major version.
 */
export interface LegacyThing { id: string; }
