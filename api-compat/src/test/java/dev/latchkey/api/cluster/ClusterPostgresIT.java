package dev.latchkey.api.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.api.testing.ServerProcess;
import dev.latchkey.testing.LocalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two cluster members on one PostgreSQL table (a real server the test starts on a loopback port):
 * both killed with SIGKILL, both started again and unsealed, and everything is back — the mount,
 * the role, a token, an outstanding OTP (which verifies once), a redeemed one (still refused), the
 * leases. Then the same after stopping both with SIGTERM.
 */
class ClusterPostgresIT {
    private static final String OTP_ROLE = "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}";

    @TempDir
    Path dir;

    private final List<ServerProcess> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerProcess n : nodes) {
            n.close();
        }
    }

    @Test
    void bothMembersKilledAndStartedAgainFindEverything() throws Exception {
        String table = LocalPostgres.freshTable();
        int[] member = {ServerProcess.freePort(), ServerProcess.freePort()};
        for (int i = 0; i < 2; i++) {
            int api = ServerProcess.freePort();
            String url = "http://127.0.0.1:" + api;
            Path config = Files.writeString(dir.resolve("node" + i + ".hcl"), """
                    storage "postgresql" {
                      connection_url = "%s"
                      table          = "%s"
                    }
                    listener "tcp" {
                      address     = "127.0.0.1:%d"
                      tls_disable = true
                    }
                    api_addr = "%s"
                    cluster {
                      name    = "pg"
                      address = "127.0.0.1:%d"
                      members = ["127.0.0.1:%d", "127.0.0.1:%d"]
                      quorum  = 1
                    }
                    """.formatted(LocalPostgres.url(), table, api, url, member[i], member[0], member[1]));
            nodes.add(ServerProcess.start(config, url));
        }
        for (ServerProcess n : nodes) {
            n.awaitListening();
        }
        JsonNode init = nodes.get(0).expect(200, "PUT", "sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}")
                .json();
        String root = init.get("root_token").asText();
        List<String> keys = List.of(init.get("keys").get(0).asText());
        for (ServerProcess n : nodes) {
            n.unseal(keys);
        }
        ServerProcess a = nodes.get(0);
        ServerProcess b = nodes.get(1);
        a.expect(204, "POST", "sys/mounts/ssh", root, "{\"type\":\"ssh\"}");
        b.expect(204, "POST", "ssh/roles/web", root, OTP_ROLE);
        String token = a.expect(200, "POST", "auth/token/create", root, "{\"policies\":[\"root\"]}").json()
                .get("auth").get("client_token").asText();
        List<String[]> outstanding = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JsonNode creds = nodes.get(i % 2).expect(200, "POST", "ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").json();
            outstanding.add(new String[] {creds.get("data").get("key").asText(), creds.get("lease_id").asText()});
        }
        String redeemed = outstanding.remove(0)[0];
        b.expect(200, "POST", "ssh/verify", null, "{\"otp\":\"" + redeemed + "\"}");

        for (ServerProcess n : nodes) {
            n.kill();
        }
        restartAndUnseal(keys);
        assertEverythingBack(root, token, redeemed, outstanding.subList(0, 10));

        for (ServerProcess n : nodes) {
            n.close(); // SIGTERM this time
        }
        restartAndUnseal(keys);
        assertEverythingBack(root, token, redeemed, outstanding.subList(10, 19));
    }

    private void restartAndUnseal(List<String> keys) throws Exception {
        long start = System.nanoTime();
        for (ServerProcess n : nodes) {
            n.restart();
        }
        for (ServerProcess n : nodes) {
            n.awaitListening().unseal(keys);
        }
        System.out.printf("[postgresql cluster] both members started and unsealed in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    private void assertEverythingBack(String root, String token, String redeemed, List<String[]> unredeemed)
            throws Exception {
        ServerProcess a = nodes.get(0);
        ServerProcess b = nodes.get(1);
        assertEquals("ubuntu", b.expect(200, "GET", "ssh/roles/web", token, null).json().get("data")
                .get("default_user").asText(), "the role, read with the token made before");
        assertEquals(400, a.call("POST", "ssh/verify", null, "{\"otp\":\"" + redeemed + "\"}").status(),
                "a redeemed OTP stays redeemed");
        for (int i = 0; i < unredeemed.size(); i++) {
            String[] otp = unredeemed.get(i);
            nodes.get(i % 2).expect(200, "PUT", "sys/leases/lookup", root, "{\"lease_id\":\"" + otp[1] + "\"}");
            nodes.get(i % 2).expect(200, "POST", "ssh/verify", null, "{\"otp\":\"" + otp[0] + "\"}");
            assertEquals(400, nodes.get((i + 1) % 2).call("POST", "ssh/verify", null, "{\"otp\":\"" + otp[0] + "\"}")
                    .status(), "once");
        }
    }
}
