package dev.latchkey.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Hazelcast node that is a cluster of one (a loopback port, a fresh secret name), for one test
 * class: started before its first test and closed after its last:
 * {@code @RegisterExtension static final LoneMember MEMBER = new LoneMember();}.
 */
final class LoneMember implements BeforeAllCallback, AfterAllCallback {
    private ClusterNode node;

    @Override
    public void beforeAll(ExtensionContext context) {
        node = LocalCluster.start(1).get(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        node.close();
    }

    ClusterNode node() {
        return node;
    }
}
