package dev.latchkey.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A dev cluster member for one test class, started before its first test and closed after its
 * last: {@code @RegisterExtension static final DevMember DEV = new DevMember();}.
 */
final class DevMember implements BeforeAllCallback, AfterAllCallback {
    private ClusterNode node;

    @Override
    public void beforeAll(ExtensionContext context) {
        node = ClusterNode.startDev();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        node.close();
    }

    ClusterNode node() {
        return node;
    }
}
