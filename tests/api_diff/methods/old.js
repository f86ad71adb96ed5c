"use strict";
const resource_1 = require("../core/resource.js");
const path_1 = require("../internal/utils/path.js");
class Things extends resource_1.APIResource {
    create(body, options) {
        return this._client.post("/things", { body, ...options });
    }
    retrieve(thingID, options) {
        return this._client.get((0, path_1.path) `/things/${thingID}`, options);
    }
    update(thingID, body, options) {
        return this._client.post((0, path_1.path) `/things/${thingID}`, { body, ...options });
    }
    delete(thingID, options) {
        return this._client.delete((0, path_1.path) `/things/${thingID}`, options);
    }
}
exports.Things = Things;
