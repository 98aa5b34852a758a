package dev.latchkey.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What another process on the host can reach of a cluster member: one loopback port, which speaks
 * only the member protocol and admits only a member that knows the secret cluster name. (A node
 * on its own runs no member, so it has no such port: see {@code StandaloneNodeTest}.)
 */
class MemberNetworkTest {
    private static final List<String> LOGGED = new ArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (LOGGED) {
                LOGGED.add(String.valueOf(record.getMessage()) + " " + List.of(
                        record.getParameters() == null ? new Object[0] : record.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Hazelcast's INFO lines are off in this build's logging config; the test wants every line. */
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    private static Level configured;
    private static ClusterNode node;

    @BeforeAll
    static void start() {
        configured = HAZELCAST.getLevel();
        HAZELCAST.setLevel(Level.INFO);
        Logger.getLogger("").addHandler(CAPTURE);
        node = LocalCluster.start(1).get(0);
        node.storage().put("visible/only/to/members", new byte[] {1});
    }

    @AfterAll
    static void stop() {
        node.close();
        Logger.getLogger("").removeHandler(CAPTURE);
        HAZELCAST.setLevel(configured);
    }

    private static InetSocketAddress memberAddress() {
        return node.hazelcast().getCluster().getLocalMember().getSocketAddress();
    }

    private static String secret() {
        return node.hazelcast().getConfig().getClusterName();
    }

    @Test
    void listensOnLoopbackOnlyUnderASecretName() {
        InetSocketAddress address = memberAddress();
        assertEquals("127.0.0.1", address.getAddress().getHostAddress());
        assertTrue(secret().matches("latchkey-[0-9a-f]{64}"), "256 random bits");
        assertFalse(node.hazelcast().getConfig().getAdvancedNetworkConfig().getEndpointConfigs().keySet().stream()
                .anyMatch(q -> !q.getType().name().equals("MEMBER")), "only a MEMBER endpoint");
    }

    /** Even knowing the secret, Hazelcast's own client gets nowhere: there is no client endpoint. */
    @Test
    void theHazelcastClientIsRefused() {
        ClientConfig config = new ClientConfig().setClusterName(secret());
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setConnectionTimeout(2000)
                .addAddress("127.0.0.1:" + memberAddress().getPort());
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(4000);
        long started = System.nanoTime();
        assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(config).shutdown());
        assertTrue(System.nanoTime() - started < 30_000_000_000L, "refused within seconds");
    }

    /** A member that does not know the secret name forms a cluster of its own and sees nothing. */
    @Test
    void aMemberWithoutTheSecretDoesNotJoin() {
        Config config = new Config().setClusterName("latchkey-guess");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.max.join.seconds", "5");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true)
                .addMember("127.0.0.1:" + memberAddress().getPort());
        HazelcastInstance intruder = Hazelcast.newHazelcastInstance(config);
        try {
            assertEquals(1, intruder.getCluster().getMembers().size());
            assertEquals(1, node.hazelcast().getCluster().getMembers().size());
            assertEquals(0, intruder.getMap(MemberConfigs.KV_MAP).size());
        } finally {
            intruder.shutdown();
        }
    }

    @Test
    void theSecretIsNeverLoggedNorInAThreadName() {
        String secret = secret();
        synchronized (LOGGED) {
            assertTrue(LOGGED.stream().anyMatch(line -> line.contains("starting at")), "the member's INFO lines were seen");
            assertTrue(LOGGED.stream().noneMatch(line -> line.contains(secret)), "secret in a log line");
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains(secret)));
        assertFalse(node.displayName().contains(secret));
    }
}
