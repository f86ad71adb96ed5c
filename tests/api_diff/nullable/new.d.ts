import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    create(body: ThingCreateParams, options?: RequestOptions): APIPromise<Thing>;
    retrieve(thingID: string, options?: RequestOptions): APIPromise<Thing>;
}
export interface Thing { id: string; label: string | null; note: string; }
export interface ThingCreateParams { name: string; color: string | null; }
