package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.HttpAssertions.assertNotFound;
import static dev.latchkey.api.testing.Requests.get;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * {@code roles/:role} for {@code ca} roles as clients see them: the JSON types of a read, the list
 * in both its HTTP forms, and a refusal's error body. What a write accepts, refuses and stores is
 * tested on the engine ({@code CaRolesPathTest}).
 */
class CaRolesTest {
    private static String mount;

    @BeforeAll
    static void mount() {
        mount = DevServer.enableSsh("ca-roles");
    }

    @Test
    void aReadShowsDurationsAsJsonNumbersAndKeyLengthsAsArrays() {
        assertNoContent(post(mount, "roles/typed", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"ttl\":\"1h\",\"max_ttl\":7200,\"not_before_duration\":\"2m\","
                + "\"allowed_user_key_lengths\":{\"rsa\":2048,\"ssh-rsa\":\"2048, 4096\"}}"));
        Response r = get(mount, "roles/typed");
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
        assertThat(r.jsonPath().get("data.ttl"), instanceOf(Integer.class));
        String raw = r.asString();
        assertThat(raw, containsString("\"ttl\":3600"));
        assertThat(raw, containsString("\"max_ttl\":7200"));
        assertThat(raw, containsString("\"not_before_duration\":120"));
        assertThat(raw, containsString("\"rsa\":[2048]"));
        assertThat(raw, containsString("\"ssh-rsa\":[2048,4096]"));
    }

    @Test
    void listAndGetWithListTrueShowTheKeyTypeInKeyInfo() {
        String m = DevServer.enableSsh("ca-roles-list");
        role(m, "ca-user", "{\"key_type\":\"ca\",\"allow_user_certificates\":true}");
        role(m, "otp-role", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        Response r = DevServer.root().request("LIST", "/v1/" + m + "/roles").andReturn();
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.keys"), equalTo(List.of("ca-user", "otp-role")));
        assertThat(r.jsonPath().getMap("data.key_info"), equalTo(Map.of(
                "ca-user", Map.of("key_type", "ca", "issuer_ref", "default"), "otp-role", Map.of("key_type", "otp"))));
        Response viaGet = DevServer.root().get("/v1/" + m + "/roles?list=true").andReturn();
        assertThat(viaGet.jsonPath().getMap("data"), equalTo(r.jsonPath().getMap("data")));
    }

    @Test
    void aRefusedWriteIs400WithVaultsErrorsBodyAndStoresNothing() {
        assertError(post(mount, "roles/no-flag", "{\"key_type\":\"ca\"}"), 400,
                "Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'");
        assertNotFound(get(mount, "roles/no-flag"));
    }
}
