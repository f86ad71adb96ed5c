"use strict";
const resource_1 = require("../core/resource.js");
const path_1 = require("../internal/utils/path.js");
class Things extends resource_1.APIResource {
    create(body, options) {
        return this._client.post("/v2/things", { body, ...options });
    }
    retrieve(projectID, thingID, query, options) {
        return this._client.get((0, path_1.path) `/projects/${projectID}/things/${thingID}`, { query, ...options });
    }
    update(thingID, body, options) {
        return this._client.patch((0, path_1.path) `/things/${thingID}`, { body, ...options });
    }
    archive(thingID, options) {
        return this._client.post((0, path_1.path) `/things/${thingID}/archive`, options);
    }
}
exports.Things = Things;
