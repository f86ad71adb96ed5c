"use strict";
const resource_1 = require("../core/resource.js");
const path_1 = require("../internal/utils/path.js");
class Things extends resource_1.APIResource {
    create(body, options) {
        return this._client.post("/things", { body, ...options });
    }
    retrieve(id, options) {
        return this._client.get((0, path_1.path) `/things/${id}`, options);
    }
}
exports.Things = Things;
