package dev.latchkey.api.metrics;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;

import static dev.latchkey.api.testing.Requests.json;

/** A little of everything the metrics count, on a mount of its own. */
final class Traffic {
    /** The mount, and what was done on it. */
    record Done(String mount, int creds, int verified, int unknown, int empty, int issued, int tokens) {
    }

    private Traffic() {
    }

    static Done exercise(String hint) {
        String mount = DevServer.enableSsh(hint);
        Requests.otpRole(mount, "web");
        Response ca = json(DevServer.root(), "{\"generate_signing_key\":true,\"key_type\":\"ed25519\"}")
                .post("/v1/" + mount + "/config/ca");
        if (ca.statusCode() != 200) {
            throw new AssertionError(ca.asString());
        }
        Requests.role(mount, "dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        String otp = null;
        for (int i = 0; i < 3; i++) {
            otp = json(DevServer.root(), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web")
                    .then().statusCode(200).extract().path("data.key");
        }
        json(DevServer.anonymous(), "{\"otp\":\"" + otp + "\"}").post("/v1/" + mount + "/verify").then().statusCode(200);
        json(DevServer.anonymous(), "{\"otp\":\"" + otp + "\"}").post("/v1/" + mount + "/verify").then().statusCode(400);
        json(DevServer.anonymous(), "{\"otp\":\"\"}").post("/v1/" + mount + "/verify").then().statusCode(400);
        for (int i = 0; i < 2; i++) {
            json(DevServer.root(), "{\"key_type\":\"ed25519\",\"valid_principals\":\"alice\"}")
                    .post("/v1/" + mount + "/issue/dev").then().statusCode(200);
        }
        json(DevServer.root(), "{\"ttl\":\"15m\",\"policies\":[\"default\"]}").post("/v1/auth/token/create")
                .then().statusCode(200);
        // a lease that expires at once, for the reaper to revoke
        String brief = mount + "-brief";
        json(DevServer.root(), "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"1s\"}}")
                .post("/v1/sys/mounts/" + brief).then().statusCode(204);
        Requests.otpRole(brief, "brief");
        json(DevServer.root(), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + brief + "/creds/brief").then().statusCode(200);
        return new Done(mount, 3, 1, 1, 1, 2, 1);
    }
}
