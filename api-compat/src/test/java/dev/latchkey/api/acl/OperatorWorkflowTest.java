package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.JsonText;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.SshKeygen;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.latchkey.api.acl.AclFixtures.DENIED;
import static dev.latchkey.api.acl.AclFixtures.as;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access control an operator would set up for SSH, done with hvac (the Python client) as its
 * users do, then the same tokens tried over plain HTTP: a team that may sign with one CA role and
 * read the CA key, host automation that may get OTPs on one role for one network, and a token role
 * that mints both. Each may do its job and gets Vault's 403 everywhere else.
 */
public class OperatorWorkflowTest {
    /** Debian's python3, which has hvac from the python3-hvac package (scripts/test installs it). */
    private static final String PYTHON = "/usr/bin/python3";

    private static String mount;
    private static SshKeygen.KeyPair user;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("ops");
        json(DevServer.root(), "{\"generate_signing_key\":true,\"key_type\":\"ed25519\"}")
                .post("/v1/" + mount + "/config/ca").then().statusCode(200);
        Requests.role(mount, "dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice,bob\"}");
        Requests.role(mount, "ops", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        Requests.otpRole(mount, "hosts", "ubuntu", "10.0.0.0/8", "");
        Requests.otpRole(mount, "other", "ubuntu", "10.0.0.0/8", "");
        user = SshKeygen.generate("ed25519", 0);
    }

    @Test
    void throughHvacThenPlainHttp() throws Exception {
        JsonPath out = JsonPath.from(runHvac(mount, UUID.randomUUID().toString().substring(0, 8), user.publicKeyText()));

        // what hvac obtained is real: a certificate for alice, an OTP that verifies once
        assertTrue(SshKeygen.inspect(out.getString("signed_key")).principals().contains("alice"));
        json(DevServer.anonymous(), "{\"otp\":" + JsonText.quote(out.getString("otp")) + "}")
                .post("/v1/" + mount + "/verify").then().statusCode(200);

        String team = out.getString("team");
        String host = out.getString("host");
        String body = "{\"public_key\":" + JsonText.quote(user.publicKeyText()) + ",\"valid_principals\":\"bob\"}";
        json(as(team), body).post("/v1/" + mount + "/sign/dev").then().statusCode(200);
        as(team).get("/v1/" + mount + "/public_key").then().statusCode(200);
        json(as(host), "{\"ip\":\"10.1.9.9\"}").post("/v1/" + mount + "/creds/hosts").then().statusCode(200);

        List<Runnable> refused = List.of(
                () -> json(as(team), "{\"ip\":\"10.1.9.9\"}").post("/v1/" + mount + "/creds/hosts").then().statusCode(403)
                        .body("errors", contains(DENIED)),
                () -> json(as(team), body).post("/v1/" + mount + "/sign/ops").then().statusCode(403)
                        .body("errors", contains(DENIED)),
                () -> as(team).get("/v1/sys/mounts").then().statusCode(403).body("errors", contains(DENIED)),
                () -> as(team).request("LIST", "/v1/sys/policies/acl").then().statusCode(403).body("errors", contains(DENIED)),
                () -> as(team).get("/v1/" + mount + "/roles/dev").then().statusCode(403).body("errors", contains(DENIED)),
                () -> json(as(host), body).post("/v1/" + mount + "/sign/dev").then().statusCode(403)
                        .body("errors", contains(DENIED)),
                () -> json(as(host), "{\"ip\":\"10.2.0.1\"}").post("/v1/" + mount + "/creds/hosts").then().statusCode(403)
                        .body("errors", contains(DENIED)),
                () -> json(as(host), "{\"ip\":\"10.1.9.9\"}").post("/v1/" + mount + "/creds/other").then().statusCode(403)
                        .body("errors", contains(DENIED)),
                () -> as(host).get("/v1/sys/mounts").then().statusCode(403).body("errors", contains(DENIED)),
                () -> as(host).get("/v1/sys/policies/acl/default").then().statusCode(403).body("errors", contains(DENIED)),
                () -> json(as(out.getString("minter")), "{}").post("/v1/auth/token/create").then().statusCode(403)
                        .body("errors", contains(DENIED)));
        refused.forEach(Runnable::run);
    }

    static String runHvac(String... args) throws IOException, InterruptedException {
        return runPython("hvac_workflow.py", args);
    }

    /** Runs one of the test clients under {@code clients/} with Debian's python3, as root against the dev server. */
    public static String runPython(String name, String... args) throws IOException, InterruptedException {
        Path script = Files.createTempFile("client", ".py");
        try (InputStream in = OperatorWorkflowTest.class.getResourceAsStream("/clients/" + name)) {
            Files.write(script, in.readAllBytes());
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of(PYTHON, script.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("VAULT_ADDR", DevServer.baseUri());
            pb.environment().put("VAULT_TOKEN", DevServer.rootToken());
            Path err = Files.createTempFile("hvac_workflow", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "hvac workflow did not finish");
            String stderr = Files.readString(err);
            Files.deleteIfExists(err);
            assertEquals(0, p.exitValue(), "hvac workflow failed: " + stderr + stdout);
            return stdout.strip();
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
