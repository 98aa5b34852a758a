package dev.latchkey.api.testing;

import dev.latchkey.api.DevOptions;
import dev.latchkey.api.LatchkeyServer;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real dev-mode server per test JVM, listening on a free loopback port: tests talk to it over
 * HTTP exactly as a Vault client would. Each test class enables its own mounts (see
 * {@link #enableSsh}) so classes never see each other's data.
 */
public final class DevServer {
    private static final AtomicInteger MOUNTS = new AtomicInteger();
    private static volatile LatchkeyServer server;

    private DevServer() {
    }

    public static synchronized LatchkeyServer get() {
        if (server == null) {
            server = LatchkeyServer.startDev(new DevOptions("root-" + UUID.randomUUID(), "127.0.0.1", 0));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    public static String baseUri() {
        return "http://127.0.0.1:" + get().port();
    }

    public static String rootToken() {
        return get().rootToken();
    }

    /** A request with the root token. */
    public static RequestSpecification root() {
        return anonymous().header("X-Vault-Token", rootToken());
    }

    /** A request without any token. */
    public static RequestSpecification anonymous() {
        return RestAssured.given().baseUri(baseUri()).urlEncodingEnabled(true);
    }

    /** Enables a fresh ssh mount at a unique path starting with {@code hint}; returns the path (no slashes). */
    public static String enableSsh(String hint) {
        String path = hint + "-" + MOUNTS.incrementAndGet();
        root().contentType("application/json").body("{\"type\":\"ssh\"}")
                .post("/v1/sys/mounts/" + path).then().statusCode(204);
        return path;
    }
}
