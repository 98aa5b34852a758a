package dev.latchkey.api.metrics;

import dev.latchkey.api.NodeOptions;
import dev.latchkey.api.config.ServerOptions;
import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.api.config.TelemetryOptions;
import dev.latchkey.api.core.ClusterView;
import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.SealedNode;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sys/metrics} against running servers: both forms, both routes, and counters that move with the requests made. */
class MetricsTest {
    private static Scrape scrape() throws Exception {
        Response r = DevServer.anonymous().queryParam("format", "prometheus").get("/v1/sys/metrics");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
        return Scrape.parse(r.asString());
    }

    @Test
    void countersMoveWithTheRequestsMadeAndTheTextParses() throws Exception {
        Scrape before = scrape();
        Traffic.Done done = Traffic.exercise("metered");
        Scrape after = scrape();
        String m = done.mount();

        assertEquals(done.creds(), after.sum("latchkey_otp_issued_total", Map.of("role", "web"))
                - before.sum("latchkey_otp_issued_total", Map.of("role", "web")), 0.0);
        assertEquals(done.verified(), after.sum("latchkey_otp_verified_total", Map.of("role", "web"))
                - before.sum("latchkey_otp_verified_total", Map.of("role", "web")), 0.0);
        for (Map.Entry<String, Integer> refused : Map.of("unknown", done.unknown(), "empty", done.empty()).entrySet()) {
            Map<String, String> reason = Map.of("reason", refused.getKey());
            assertTrue(after.sum("latchkey_otp_refused_total", reason) - before.sum("latchkey_otp_refused_total", reason)
                    >= refused.getValue(), refused.getKey());
        }
        Map<String, String> cert = Map.of("role", "dev", "key_type", "ssh-ed25519", "cert_type", "user");
        assertTrue(after.sum("latchkey_ssh_certificates_signed_total", cert)
                - before.sum("latchkey_ssh_certificates_signed_total", cert) >= done.issued());

        // Vault's names, labels and kinds
        Map<String, String> leases = Map.of("secret_engine", "ssh", "mount_point", m + "/", "namespace", "root");
        assertEquals(done.creds(), after.sum("vault_secret_lease_creation", leases), 0.0, "a fresh mount");
        assertEquals(done.creds(), after.sum("vault_secret_lease_creation",
                Map.of("mount_point", m + "/", "creation_ttl", "+Inf")), 0.0, "the dev TTL, 768h, is past the 30d bucket");
        Map<String, String> tokens = Map.of("auth_method", "token", "mount_point", "auth/token/", "creation_ttl", "20m",
                "token_type", "service");
        assertTrue(after.sum("vault_token_creation", tokens) - before.sum("vault_token_creation", tokens) >= done.tokens());
        // the parser's word for an untyped family: Vault's name is kept, with no _total appended
        assertEquals("unknown", after.types.get("vault_token_creation"));
        assertEquals("summary", after.types.get("vault_core_handle_request"));
        assertTrue(after.sum("vault_core_handle_request_count") > before.sum("vault_core_handle_request_count"));
        assertEquals(1.0, after.sum("vault_core_unsealed"), 0.0);
        assertEquals(1.0, after.sum("vault_core_active"), 0.0);
        assertThat(after.labelNames("vault_core_unsealed"), hasItem("cluster"));
        assertTrue(after.sum("vault_core_mount_table_num_entries", Map.of("type", "logical")) >= 2, "sys/ and the mounts");
        assertTrue(after.sum("vault_core_mount_table_num_entries", Map.of("type", "auth")) >= 1, "auth/token/");

        // requests by path family and status, never by what the caller wrote
        Map<String, String> creds = Map.of("family", "ssh/creds", "method", "POST", "code", "200");
        assertTrue(after.sum("latchkey_http_request_duration_seconds_count", creds)
                - before.sum("latchkey_http_request_duration_seconds_count", creds) >= done.creds());
        Map<String, String> refusedVerify = Map.of("family", "ssh/verify", "code", "400");
        assertTrue(after.sum("latchkey_http_request_duration_seconds_count", refusedVerify)
                - before.sum("latchkey_http_request_duration_seconds_count", refusedVerify) >= 2);
        assertEquals("histogram", after.types.get("latchkey_http_request_duration_seconds"));
        assertTrue(after.sum("latchkey_storage_write_duration_seconds_count", Map.of("store", "leases", "op", "put"))
                - before.sum("latchkey_storage_write_duration_seconds_count", Map.of("store", "leases", "op", "put"))
                >= done.creds());
        assertTrue(after.sum("latchkey_storage_write_duration_seconds_count", Map.of("store", "kv", "op", "put_if_absent"))
                > before.sum("latchkey_storage_write_duration_seconds_count", Map.of("store", "kv", "op", "put_if_absent")),
                "the OTPs' writes");
        assertEquals(1.0, after.sum("latchkey_cluster_quorum"), 0.0);
        assertEquals(1.0, after.sum("latchkey_cluster_members"), 0.0);
        assertTrue(after.has("jvm_memory_used_bytes"), "the JVM's own metrics");
        assertTrue(after.sum("vault_runtime_alloc_bytes") > 0);
    }

    @Test
    void aPathNoEngineMatchesIsCountedUnderItsMountNotItsText() throws Exception {
        String junk = "made-up-" + System.nanoTime();
        DevServer.root().get("/v1/sys/" + junk).then().statusCode(404);
        DevServer.root().get("/v1/" + junk + "/x").then().statusCode(404);
        Scrape s = scrape();
        assertTrue(s.sum("latchkey_http_request_duration_seconds_count", Map.of("family", "system/other", "code", "404")) >= 1);
        assertTrue(s.sum("latchkey_http_request_duration_seconds_count", Map.of("family", "unrouted", "code", "404")) >= 1);
        String text = DevServer.anonymous().queryParam("format", "prometheus").get("/v1/sys/metrics").asString();
        assertThat(text, not(containsString(junk)));
    }

    @Test
    void theJsonFormHasVaultsShape() {
        DevServer.anonymous().get("/v1/sys/health").then().statusCode(200);
        Response r = DevServer.anonymous().get("/v1/sys/metrics");
        r.then().statusCode(200).contentType("application/json");
        List<String> gauges = r.path("Gauges.Name");
        assertThat(gauges, hasItem("vault_core_unsealed"));
        assertThat(r.path("Timestamp"), org.hamcrest.Matchers.matchesPattern(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d0 \\+0000 UTC"));
        assertEquals(List.of(), r.path("Points"));
        List<String> counters = r.path("Counters.Name");
        assertThat(counters, hasItem("vault_audit_log_request_failure"));
        List<String> samples = r.path("Samples.Name");
        assertThat(samples, hasItem("vault_core_handle_request"));
        assertThat(r.path("Samples.find { it.Name == 'vault_core_handle_request' }.Count"), org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void formatsAreChosenAsVaultChoosesThem() {
        DevServer.anonymous().queryParam("format", "bogus").get("/v1/sys/metrics").then().statusCode(400)
                .contentType("text/plain").body(org.hamcrest.Matchers.equalTo("metric response format \"bogus\" unknown"));
        DevServer.anonymous().queryParam("format", "Prometheus").get("/v1/sys/metrics").then().statusCode(400);
        DevServer.anonymous().header("Accept", "application/openmetrics-text;version=1.0.0")
                .get("/v1/sys/metrics").then().statusCode(200).contentType(startsWith("text/plain; version=0.0.4"));
        DevServer.root().header("Accept", "text/plain;version=0.0.4, prometheus/telemetry")
                .get("/v1/sys/metrics").then().statusCode(200).contentType(startsWith("text/plain; version=0.0.4"));
        DevServer.anonymous().contentType("application/json").body("{}").post("/v1/sys/metrics").then().statusCode(405);
    }

    @Test
    void prometheusOffAnswersVaultsPlainTextRefusal() {
        Metrics off = new Metrics(TelemetryOptions.NONE, "host");
        MetricsEndpoint.Answer a = MetricsEndpoint.answer(off, "prometheus");
        assertEquals(400, a.status());
        assertEquals("prometheus is not enabled", new String(a.body(), StandardCharsets.UTF_8));
        assertThat(a.contentType(), startsWith("text/plain"));
        assertEquals(200, MetricsEndpoint.answer(off, "").status(), "the JSON form is always there");
    }

    /**
     * A production node whose listener does not serve metrics to anyone: the path is an ordinary
     * one, needing a token with read on it, and refused while sealed; with {@code disable_hostname}
     * left false, Vault's gauges carry the host name.
     */
    @Test
    void withoutUnauthenticatedAccessTheAclDecidesAndGaugesCarryTheHostName() throws Exception {
        TelemetryOptions telemetry = new TelemetryOptions(Duration.ofHours(1), false, Duration.ofMinutes(10));
        NodeOptions options = NodeOptions.inMemory("127.0.0.1", 0).withServer(ServerOptions.withListeners(
                List.of(dev.latchkey.api.config.ListenerOptions.plain("127.0.0.1", 0)), SystemDefaults.VAULT)
                .withTelemetry(telemetry));
        try (SealedNode node = SealedNode.start(options)) {
            node.anonymous().get("/v1/sys/metrics").then().statusCode(503);
            var init = node.init(1, 1);
            node.unseal(init.getString("keys_base64[0]")).then().statusCode(200);
            String root = init.getString("root_token");
            node.anonymous().get("/v1/sys/metrics").then().statusCode(403);
            String text = node.withToken(root).queryParam("format", "prometheus").get("/v1/sys/metrics")
                    .then().statusCode(200).extract().asString();
            Scrape s = Scrape.parse(text);
            String host = ClusterView.localHostName().replaceAll("[^A-Za-z0-9_]", "_");
            if (!host.isEmpty()) {
                assertTrue(s.has("vault_" + host + "_core_unsealed"), "gauge names carry the host name");
                assertTrue(s.has("vault_core_handle_request"), "timers do not");
            }
            node.put(root, "sys/policies/acl/scraper", "{\"policy\":\"path \\\"sys/metrics\\\" { capabilities = [\\\"read\\\"] }\"}")
                    .then().statusCode(204);
            String scraper = node.put(root, "auth/token/create", "{\"policies\":[\"scraper\"]}").path("auth.client_token");
            String plain = node.put(root, "auth/token/create", "{\"policies\":[\"default\"]}").path("auth.client_token");
            node.withToken(scraper).get("/v1/sys/metrics").then().statusCode(200).contentType("application/json");
            node.withToken(plain).get("/v1/sys/metrics").then().statusCode(403);
        }
    }
}
