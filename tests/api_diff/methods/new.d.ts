import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    create(body: ThingCreateParams, options?: RequestOptions): APIPromise<Thing>;
    retrieve(projectID: string, thingID: string, query: ThingRetrieveParams, options?: RequestOptions): APIPromise<Thing>;
    update(thingID: string, body: ThingCreateParams, options?: RequestOptions): APIPromise<Thing>;
    archive(thingID: string, options?: RequestOptions): APIPromise<Thing>;
}
export interface Thing { id: string; }
export interface ThingCreateParams { name: string; }
export interface ThingRetrieveParams { expand: Array<string>; }
