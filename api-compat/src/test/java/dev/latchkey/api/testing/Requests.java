package dev.latchkey.api.testing;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The requests most tests make to the dev server, with the root token unless they say otherwise. */
public final class Requests {
    private Requests() {
    }

    /** The request with a JSON body. */
    public static RequestSpecification json(RequestSpecification spec, String body) {
        return spec.contentType("application/json").body(body);
    }

    /** {@code POST /v1/<mount>/<path>} with a JSON body. */
    public static Response post(String mount, String path, String json) {
        return json(DevServer.root(), json).post("/v1/" + mount + "/" + path).andReturn();
    }

    /** {@code GET /v1/<mount>/<path>}. */
    public static Response get(String mount, String path) {
        return DevServer.root().get("/v1/" + mount + "/" + path).andReturn();
    }

    /** Writes a role with a raw JSON body and insists on Vault's bodiless 204. */
    public static void role(String mount, String name, String json) {
        Response r = post(mount, "roles/" + name, json);
        if (r.statusCode() != 204) {
            throw new AssertionError("role write " + name + " on " + mount + " answered " + r.statusCode() + " "
                    + r.asString());
        }
    }

    /** An OTP role for {@code ubuntu} on 10.0.0.0/8. */
    public static void otpRole(String mount, String name) {
        otpRole(mount, name, "ubuntu", "10.0.0.0/8", "");
    }

    /** An OTP role with these lists ("" for none). */
    public static void otpRole(String mount, String name, String defaultUser, String cidrList, String excludeCidrList) {
        role(mount, name, "{\"key_type\":\"otp\",\"default_user\":" + JsonText.quote(defaultUser) + ",\"cidr_list\":"
                + JsonText.quote(cidrList) + ",\"exclude_cidr_list\":" + JsonText.quote(excludeCidrList) + "}");
    }
}
