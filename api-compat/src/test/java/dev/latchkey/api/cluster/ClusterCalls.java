package dev.latchkey.api.cluster;

import dev.latchkey.api.testing.ServerProcess;
import dev.latchkey.api.testing.ServerProcess.Answer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the cluster tests ask of their nodes: OTPs from the {@code ssh/} mount's role {@code web}, and waiting. */
final class ClusterCalls {
    private ClusterCalls() {
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** An OTP for 10.0.0.5 from {@code node}; fails unless it answers 200. */
    static String creds(ServerProcess node, String root) throws Exception {
        return node.expect(200, "POST", "ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").json().get("data").get("key")
                .asText();
    }

    /** {@code ssh/verify} of {@code otp} on {@code node}, without a token, as a host's helper sends it. */
    static Answer verify(ServerProcess node, String otp) throws Exception {
        return node.call("POST", "ssh/verify", null, "{\"otp\":\"" + otp + "\"}");
    }

    /** Polls {@code check} until it holds; after {@code seconds}, fails with every node's log. */
    static void waitUntil(Check check, String what, List<ServerProcess> nodes, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (ServerProcess n : nodes) {
                    logs.append("\n--- ").append(n.url()).append('\n').append(n.output());
                }
                throw new AssertionError("timed out waiting for " + what + logs);
            }
            Thread.sleep(250);
        }
    }
}
