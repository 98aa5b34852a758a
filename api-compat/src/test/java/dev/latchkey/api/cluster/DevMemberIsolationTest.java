package dev.latchkey.api.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.latchkey.api.testing.DevServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code cluster_name} that {@code sys/health} and {@code sys/seal-status} tell anyone is Vault's label, not the secret
 * that admits a member: a member started with it next to the dev server joins nothing and sees
 * none of its data.
 */
class DevMemberIsolationTest {
    @Test
    void theAdvertisedClusterNameAdmitsNoMember() {
        String advertised = DevServer.anonymous().get("/v1/sys/health").then().statusCode(200)
                .extract().path("cluster_name");
        assertThat(advertised, matchesPattern("vault-cluster-[0-9a-f]{8}"));
        DevServer.anonymous().get("/v1/sys/seal-status").then().body("cluster_name", equalTo(advertised));

        HazelcastInstance devMember = DevServer.get().cluster().hazelcast();
        InetSocketAddress member = devMember.getCluster().getLocalMember().getSocketAddress();
        HazelcastInstance intruder = Hazelcast.newHazelcastInstance(intruder(advertised, member.getPort()));
        try {
            assertEquals(1, intruder.getCluster().getMembers().size(), "the intruder is alone");
            assertEquals(1, devMember.getCluster().getMembers().size(), "the dev member is alone");
            for (String map : new String[] {"latchkey-kv", "latchkey-bulk", "latchkey-leases", "latchkey-meta"}) {
                assertEquals(0, intruder.getMap(map).size(), map);
            }
        } finally {
            intruder.shutdown();
        }
    }

    /** A member on loopback that looks for the dev member by TCP/IP, and gives up after 5 s. */
    private static Config intruder(String clusterName, int port) {
        Config config = new Config().setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.max.join.seconds", "5");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        return config;
    }
}
