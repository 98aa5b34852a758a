package dev.latchkey.api.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.api.ssh.openssh.HostAccounts;
import dev.latchkey.api.ssh.openssh.SshdProcess;
import dev.latchkey.api.testing.ServerProcess.Answer;
import dev.latchkey.api.testing.ServerProcess;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.latchkey.api.cluster.ClusterCalls.creds;
import static dev.latchkey.api.cluster.ClusterCalls.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three server processes on loopback form one cluster from their configuration files, as three
 * hosts would: one {@code sys/init}, each node unsealed with the same shares, and every node
 * serving every request. OTPs cross nodes and verify once in the whole cluster, also when 200
 * verifies of one OTP race over the three; a revoked token is refused on every node in the very next
 * request; a rotated keyring is used at once everywhere; a member killed with SIGKILL under load
 * loses no acknowledged OTP; a node left alone refuses OTPs (no quorum) until a member is back.
 */
class ClusterIT {
    private static final int NODES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTP_ROLE = "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}";

    @TempDir
    Path dir;

    private final List<ServerProcess> nodes = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(32);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        for (ServerProcess n : nodes) {
            n.close();
        }
    }

    private void startCluster() throws Exception {
        List<Integer> memberPorts = new ArrayList<>();
        List<Integer> apiPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            memberPorts.add(ServerProcess.freePort());
            apiPorts.add(ServerProcess.freePort());
        }
        String members = String.join(", ", memberPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList());
        for (int i = 0; i < NODES; i++) {
            String url = "http://127.0.0.1:" + apiPorts.get(i);
            Path config = Files.writeString(dir.resolve("node" + (i + 1) + ".hcl"), """
                    storage "inmem" {}
                    listener "tcp" {
                      address     = "127.0.0.1:%d"
                      tls_disable = true
                    }
                    api_addr = "%s"
                    cluster {
                      name    = "it"
                      address = "127.0.0.1:%d"
                      members = [%s]
                    }
                    """.formatted(apiPorts.get(i), url, memberPorts.get(i), members));
            nodes.add(ServerProcess.start(config, url));
        }
        for (ServerProcess n : nodes) {
            n.awaitListening();
        }
    }

    private ServerProcess node(int i) {
        return nodes.get(i - 1);
    }

    @Test
    void threeNodesServeAsOneAndLoseNothingWhenOneDies() throws Exception {
        startCluster();
        JsonNode init = node(1).expect(200, "PUT", "sys/init", null, "{\"secret_shares\":3,\"secret_threshold\":2}")
                .json();
        String root = init.get("root_token").asText();
        List<String> keys = List.of(init.get("keys").get(0).asText(), init.get("keys").get(2).asText());
        assertEquals(400, node(2).call("PUT", "sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}")
                .status(), "one init for the whole cluster");
        // a member learns of another's init within its housekeeping second, and reports it
        waitUntil(() -> node(3).expect(200, "GET", "sys/seal-status", null, null).json().get("initialized").asBoolean(),
                "node 3 to report the cluster initialised");
        assertEquals(503, node(3).call("GET", "sys/leader", null, null).status(), "a sealed member of a cluster");
        for (ServerProcess n : nodes) {
            n.unseal(keys);
            assertEquals(200, n.call("GET", "sys/health", null, null).status(), "every unsealed node is active");
        }

        // every node is its own leader, and lists all three
        for (ServerProcess n : nodes) {
            JsonNode leader = n.expect(200, "GET", "sys/leader", null, null).json();
            assertTrue(leader.get("ha_enabled").asBoolean() && leader.get("is_self").asBoolean(), leader.toString());
            assertEquals(n.url(), leader.get("leader_address").asText());
            JsonNode listed = n.expect(200, "GET", "sys/ha-status", root, null).json().get("data").get("nodes");
            assertEquals(NODES, listed.size(), listed.toString());
            List<String> urls = nodes.stream().map(ServerProcess::url).sorted().toList();
            for (int i = 0; i < NODES; i++) {
                assertEquals(urls.get(i), listed.get(i).get("api_address").asText(), "sorted by api_address");
                assertTrue(listed.get(i).get("active_node").asBoolean());
            }
        }

        node(1).expect(204, "POST", "sys/mounts/ssh", root, "{\"type\":\"ssh\"}");
        node(2).expect(204, "POST", "ssh/roles/web", root, OTP_ROLE);

        // an OTP issued on one node verifies on a second, and is refused on the third
        String otp = creds(node(3), root);
        assertEquals("ubuntu", verify(node(1), otp).json().get("data").get("username").asText());
        Answer again = verify(node(2), otp);
        assertEquals(400, again.status());
        assertEquals("{\"errors\":[\"OTP not found\"]}", again.body().strip());

        // 200 verifies of one OTP, spread over the nodes: exactly one is accepted
        for (int round = 0; round < 3; round++) {
            String raced = creds(node(1 + round), root);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> verifies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ServerProcess target = node(1 + i % NODES);
                verifies.add(pool.submit(() -> {
                    go.await();
                    return verify(target, raced).status();
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<Integer> f : verifies) {
                int status = f.get(60, TimeUnit.SECONDS);
                assertTrue(status == 200 || status == 400, "status " + status);
                accepted += status == 200 ? 1 : 0;
            }
            assertEquals(1, accepted, "one OTP, one acceptance in the whole cluster");
        }

        // a token revoked on one node is refused by the others in the very next request
        for (int round = 0; round < 10; round++) {
            String token = node(1).expect(200, "POST", "auth/token/create", root, "{\"policies\":[\"root\"]}").json()
                    .get("auth").get("client_token").asText();
            for (ServerProcess n : nodes) {
                n.expect(200, "GET", "ssh/roles/web", token, null); // each node now holds it in its cache
            }
            ServerProcess revoker = node(1 + round % NODES);
            revoker.expect(204, "POST", "auth/token/revoke", root, "{\"token\":\"" + token + "\"}");
            for (ServerProcess n : nodes) {
                assertEquals(403, n.call("GET", "ssh/roles/web", token, null).status(),
                        "revoked on " + revoker.url() + ", refused at once by " + n.url());
            }
        }

        // a role changed on one node is what the next read on another sees
        node(2).expect(200, "GET", "ssh/roles/web", root, null);
        node(3).expect(204, "POST", "ssh/roles/web", root, OTP_ROLE.replace("ubuntu", "deploy"));
        assertEquals("deploy", node(2).expect(200, "GET", "ssh/roles/web", root, null).json().get("data")
                .get("default_user").asText());

        // a policy changed on one node decides the next request on every other, whichever wrote it
        String policyToken = null;
        for (int round = 0; round < 6; round++) {
            ServerProcess writer = node(1 + round % NODES);
            boolean grant = round % 2 == 0;
            String rule = "path \"ssh/roles/web\" { capabilities = [\"" + (grant ? "read" : "deny") + "\"] }";
            writer.expect(204, "PUT", "sys/policies/acl/readers", root, "{\"policy\":" + JSON.writeValueAsString(rule) + "}");
            if (policyToken == null) {
                policyToken = node(2).expect(200, "POST", "auth/token/create", root, "{\"policies\":[\"readers\"]}")
                        .json().get("auth").get("client_token").asText();
            }
            for (ServerProcess n : nodes) {
                assertEquals(grant ? 200 : 403, n.call("GET", "ssh/roles/web", policyToken, null).status(),
                        "policy written on " + writer.url() + ", applied at once by " + n.url());
            }
        }

        // a keyring rotated on one node is in use on every node once sys/rotate has answered
        node(3).expect(204, "POST", "sys/rotate", root, null);
        for (ServerProcess n : nodes) {
            assertEquals(2, n.expect(200, "GET", "sys/key-status", root, null).json().get("term").asInt());
        }
        node(1).expect(204, "POST", "ssh/roles/after-rotation", root, OTP_ROLE);
        node(2).expect(200, "GET", "ssh/roles/after-rotation", root, null);
        node(3).expect(204, "POST", "ssh/roles/web", root, OTP_ROLE);

        killOneUnderLoad(root);
        aLoneNodeRefusesOtpsUntilAMemberIsBack(root, keys);
    }

    /**
     * Dynamic keys on a real sshd, issued on node 3 with a 6-second lease, after which node 3 is
     * killed with SIGKILL: whichever member owned each lease, the survivors revoke every one when
     * it runs out, and each key leaves {@code authorized_keys} with one admin login.
     */
    @Test
    void dynamicLeasesOfAKilledMemberExpireOnceOnTheSurvivors() throws Exception {
        try {
            dynamicLeasesOfAKilledMember();
        } finally {
            HostAccounts.removeLeftoversInAdminHome(); // a member killed mid-uninstall leaves its upload behind
        }
    }

    private void dynamicLeasesOfAKilledMember() throws Exception {
        HostAccounts.ensure();
        SshKeygen.KeyPair admin = SshKeygen.generate(dir, "admin_ed25519", "ed25519", 0);
        HostAccounts.authorizeAdmin(admin);
        HostAccounts.resetTarget(HostAccounts.ALICE);
        try (SshdProcess sshd = SshdProcess.builder(dir.resolve("sshd")).authorizedKeysFiles().start()) {
            startCluster();
            JsonNode init = node(1).expect(200, "PUT", "sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}")
                    .json();
            String root = init.get("root_token").asText();
            for (ServerProcess n : nodes) {
                n.unseal(List.of(init.get("keys").get(0).asText()));
            }
            node(1).expect(204, "POST", "sys/mounts/dyn", root,
                    "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"10s\",\"max_lease_ttl\":\"10s\"}}");
            node(2).expect(204, "POST", "dyn/keys/admin", root,
                    JSON.writeValueAsString(Map.of("key", admin.privateKeyText())));
            node(3).expect(204, "POST", "dyn/roles/web", root, JSON.writeValueAsString(Map.of("key_type", "dynamic",
                    "key", "admin", "admin_user", HostAccounts.ADMIN, "default_user", HostAccounts.ALICE,
                    "cidr_list", "127.0.0.0/8", "port", sshd.port())));
            int leases = 9;
            // from before the first install: a lease that expires before the kill (on a slow machine the
            // installs take longer than its TTL) is still counted, once
            long mark = sshd.logMark();
            for (int i = 0; i < leases; i++) {
                node(3).expect(200, "POST", "dyn/creds/web", root, "{\"ip\":\"127.0.0.1\"}");
            }
            assertEquals(leases, HostAccounts.authorizedLines(HostAccounts.ALICE).size(), "installed");
            assertEquals(leases, node(1).expect(200, "GET", "sys/leases/lookup/dyn/creds/web?list=true", root, null)
                    .json().get("data").get("keys").size(), "listed on another node");
            node(3).kill();

            waitUntil(() -> HostAccounts.authorizedLines(HostAccounts.ALICE).isEmpty(),
                    "the survivors to remove every expired key");
            Thread.sleep(3000); // room for a second removal, were there one
            long adminLogins = sshd.logSince(mark).lines()
                    .filter(l -> l.contains("Accepted publickey for " + HostAccounts.ADMIN + " ")).count();
            assertEquals(2 * leases, adminLogins, "one admin login per install and one per removal: "
                    + sshd.logSince(mark));
            assertEquals(404, node(1).call("GET", "sys/leases/lookup/dyn/creds/web?list=true", root, null).status(),
                    "and the leases are gone (an empty listing is a 404, as in Vault)");
        }
    }

    /**
     * A member that cannot take its place stops with one line naming the cluster stanza and the
     * fix: another cluster's name, an address that is not this host's, a member port in use.
     */
    @Test
    void aMisconfiguredMemberStopsWithOneLineThatSaysWhy() throws Exception {
        int memberPort = ServerProcess.freePort();
        int otherPort = ServerProcess.freePort();
        String members = "[\"127.0.0.1:" + memberPort + "\", \"127.0.0.1:" + otherPort + "\"]";
        int api = ServerProcess.freePort();
        nodes.add(ServerProcess.start(memberConfig("first", api, "it", "127.0.0.1:" + memberPort, members),
                "http://127.0.0.1:" + api).awaitListening());
        record Case(String name, String address, String expected) {
        }
        for (Case c : List.of(
                new Case("it-too", "127.0.0.1:" + otherPort, "accept connections but did not admit this member to "
                        + "cluster \"it-too\"; give every member the same cluster name"),
                new Case("it", "127.0.0.99:" + otherPort, "cluster address 127.0.0.99 is not an address of this host"),
                new Case("it", "127.0.0.1:" + memberPort, "cannot be bound: Address already in use"))) {
            Path config = memberConfig("second", ServerProcess.freePort(), c.name(), c.address(), members);
            Commands.Result r = Commands.run(Duration.ofSeconds(120), "java", "-jar", ServerProcess.jar(), "server",
                    "-config=" + config);
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("Error starting the server: " + config + ":6: ")
                    && r.stderr().contains(c.expected()), r.describe());
            assertTrue(!r.stderr().contains("\tat "), "no stack trace: " + r.describe());
        }
    }

    private Path memberConfig(String file, int apiPort, String name, String address, String members)
            throws Exception {
        return Files.writeString(dir.resolve(file + ".hcl"), """
                storage "inmem" {}
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                cluster {
                  name    = "%s"
                  address = "%s"
                  members = %s
                }
                """.formatted(apiPort, name, address, members));
    }

    /**
     * Clients mint OTPs on the two nodes that stay while node 3 is killed with SIGKILL; every OTP
     * whose creds was answered 200 then verifies exactly once, and every lease is still there.
     */
    private void killOneUnderLoad(String root) throws Exception {
        ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> clients = new ArrayList<>();
        // OTPs minted before, redeemed by other clients while the member dies
        ConcurrentLinkedQueue<String> toRedeem = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 1500; i++) {
            toRedeem.add(creds(node(1 + i % 3), root));
        }
        Map<String, Integer> redeemedUnderLoad = new ConcurrentHashMap<>();
        for (int c = 0; c < 4; c++) {
            ServerProcess target = node(1 + c % 2);
            clients.add(pool.submit((Callable<Void>) () -> {
                String otp;
                while (running.get() && (otp = toRedeem.poll()) != null) {
                    redeemedUnderLoad.put(otp, verify(target, otp).status());
                    Thread.sleep(5); // paced, so that redeeming goes on across the kill
                }
                return null;
            }));
        }
        for (int c = 0; c < 8; c++) {
            ServerProcess target = node(1 + c % 2);
            clients.add(pool.submit((Callable<Void>) () -> {
                while (running.get()) {
                    Answer a = target.call("POST", "ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}");
                    if (a.status() == 200) {
                        JsonNode j = a.json();
                        acknowledged.add(new String[] {j.get("data").get("key").asText(), j.get("lease_id").asText()});
                    } else {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Thread.sleep(1500);
        node(3).kill();
        Thread.sleep(3000);
        running.set(false);
        for (Future<?> f : clients) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertTrue(acknowledged.size() > 50, "the load ran: " + acknowledged.size() + " OTPs");

        List<String[]> issued = new ArrayList<>(acknowledged);
        Collections.shuffle(issued);
        List<Future<Integer>> first = new ArrayList<>();
        for (int i = 0; i < issued.size(); i++) {
            ServerProcess target = node(1 + i % 2);
            String otp = issued.get(i)[0];
            first.add(pool.submit(() -> verify(target, otp).status()));
        }
        int verified = 0;
        for (Future<Integer> f : first) {
            verified += f.get(120, TimeUnit.SECONDS) == 200 ? 1 : 0;
        }
        assertEquals(issued.size(), verified, "every acknowledged OTP verifies after the kill ("
                + failures.get() + " creds were refused during it)");

        // Those redeemed while the member died: each accepted then is refused now; each that was
        // not (refused with 503, or never tried) verifies once now. None was accepted twice, none lost.
        assertTrue(redeemedUnderLoad.size() > 20 && !toRedeem.isEmpty(),
                "the verify load ran across the kill: " + redeemedUnderLoad.size() + " redeemed, " + toRedeem.size() + " left");
        Map<Integer, Integer> statuses = new HashMap<>();
        for (Map.Entry<String, Integer> e : redeemedUnderLoad.entrySet()) {
            statuses.merge(e.getValue(), 1, Integer::sum);
            int now = verify(node(1), e.getKey()).status();
            assertEquals(e.getValue() == 200 ? 400 : 200, now, "an OTP answered " + e.getValue()
                    + " while the member died, " + now + " after; all answers then: " + statuses);
        }
        for (String otp : toRedeem) {
            assertEquals(200, verify(node(2), otp).status(), "an OTP nobody tried");
        }
        assertTrue(statuses.keySet().stream().allMatch(st -> st == 200 || st == 503), "answers: " + statuses);
        System.out.printf("[kill] %d OTPs minted under load, %d creds refused; verifies while the member died: %s, "
                + "%d left for after%n", issued.size(), failures.get(), statuses, toRedeem.size());
        for (int i = 0; i < issued.size(); i += Math.max(1, issued.size() / 50)) {
            assertEquals(400, verify(node(1 + i % 2), issued.get(i)[0]).status(), "and only once");
            node(1 + (i + 1) % 2).expect(200, "PUT", "sys/leases/lookup", root,
                    "{\"lease_id\":\"" + issued.get(i)[1] + "\"}");
        }
    }

    /**
     * With node 3 dead, node 2 is stopped too: node 1 sees one member of three, below the quorum
     * of two, and refuses to issue or redeem OTPs rather than risk a second use on the other side
     * of what may be a split. Node 3 comes back and is unsealed: node 1 serves OTPs again.
     */
    private void aLoneNodeRefusesOtpsUntilAMemberIsBack(String root, List<String> keys) throws Exception {
        String before = creds(node(1), root);
        node(2).kill();
        waitUntil(() -> node(1).call("POST", "ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").status() == 503,
                "node 1 to lose its quorum");
        Answer refused = verify(node(1), before);
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("no quorum"), refused.body());
        assertEquals(200, node(1).call("GET", "sys/health", null, null).status(), "it still reports itself");

        node(3).restart();
        node(3).awaitListening().unseal(keys);
        waitUntil(() -> node(1).call("POST", "ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").status() == 200,
                "node 1 to serve OTPs again");
        String after = creds(node(1), root);
        assertEquals(200, verify(node(3), after).status());
    }

    private void waitUntil(ClusterCalls.Check check, String what) throws Exception {
        ClusterCalls.waitUntil(check, what, nodes, 60);
    }
}
