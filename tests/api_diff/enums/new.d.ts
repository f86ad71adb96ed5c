import { APIResource } from "../core/resource";
import { APIPromise } from "../core/api-promise";
import { RequestOptions } from "../internal/request-options";
export declare class Things extends APIResource {
    create(body: ThingCreateParams, options?: RequestOptions): APIPromise<Thing>;
    retrieve(thingID: string, options?: RequestOptions): APIPromise<Thing>;
}
export declare enum Color { Red = "red", Green = "lime", Violet = "violet" }
export interface Thing { id: string; color: Color; }
export interface ThingCreateParams { name: string; color?: Color; }
