package dev.latchkey.engine.framework;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a backend declares, paths and secret types, and what the core learns from the declarations. */
class LogicalBackendTest {
    /** A backend with one of each kind of declaration, recording what its secret types revoke. */
    private static final class Declared extends LogicalBackend {
        final List<String> revoked = new ArrayList<>();
        final SecretType local = SecretType.named("local_secret")
                .onRevoke(internal -> revoked.add("local " + internal.get("id")));
        final SecretType remote = SecretType.named("remote_secret").renewable().revokedOverNetwork()
                .onRevoke(internal -> revoked.add("remote " + internal.get("id")));

        Declared() {
            register(local);
            register(remote);
            register(PathSpec.path("open").unauthenticated().on(Operation.READ, (r, f) -> Response.empty()));
            register(PathSpec.path("admin/(?<rest>.+)").capture("rest", "rest").sudo()
                    .on(Operation.UPDATE, (r, f) -> Response.empty()));
            register(PathSpec.path("issue").on(Operation.UPDATE,
                    (r, f) -> remote.lease(Map.of("k", "v"), Map.of("id", "7"))));
        }

        @Override
        public String type() {
            return "declared";
        }
    }

    @ParameterizedTest(name = "[{index}] {0}: unauthenticated={1}, sudo={2}")
    @CsvSource(delimiter = '|', textBlock = """
            open        | true  | false
            admin/x     | false | true
            admin/x/y   | false | true
            admin/      | false | false
            issue       | false | false
            nowhere     | false | false
            """)
    void pathDeclarationsAnswerForExactlyTheirPaths(String path, boolean unauthenticated, boolean sudo) {
        Declared backend = new Declared();
        assertEquals(unauthenticated, backend.isUnauthenticated(path));
        assertEquals(sudo, backend.requiresSudo(path));
    }

    @Test
    void aLeasedSecretGoesBackToTheTypeThatDeclaredIt() {
        Declared backend = new Declared();
        backend.revoke(new LeasedSecret("remote_secret", Map.of("id", "1")));
        backend.revoke(new LeasedSecret("local_secret", Map.of("id", "2")));
        assertEquals(List.of("remote 1", "local 2"), backend.revoked);
        assertTrue(backend.revokesOverNetwork("remote_secret"));
        assertFalse(backend.revokesOverNetwork("local_secret"));
        assertFalse(backend.revokesOverNetwork("unknown_secret"));
    }

    @Test
    void aSecretOfAnUndeclaredTypeIsRefusedWithVaultsMessage() {
        EngineException e = assertThrows(EngineException.class,
                () -> new Declared().revoke(new LeasedSecret("secret_otp_type", Map.of())));
        assertEquals("secret is unsupported by this backend", e.getMessage());
        assertEquals(400, e.status());
    }

    @Test
    void aLeasedResponseCarriesTheDeclaredTypeAndRenewability() {
        Response r = new Declared().handle(new Request(Operation.UPDATE, "issue", Map.of(), "", Caller.ANONYMOUS, "",
                new MountInfo("m/", "uuid", "declared_1", 60, 120)));
        assertEquals(new SecretSpec("remote_secret", true, Map.of("id", "7")), r.secret());
        assertEquals(Map.of("k", "v"), r.data());
    }

    /** Vault's warning for a few unknown names; past a hundred, the first hundred and a count. */
    @ParameterizedTest(name = "{0} unknown names")
    @ValueSource(ints = {1, 3, 100, 101, 10_000})
    void theIgnoredParameterWarningNamesAtMostAHundred(int unknownNames) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = unknownNames - 1; i >= 0; i--) {
            fields.put(String.format(Locale.ROOT, "x%05d", i), 1);
        }
        Response r = new Declared().handle(new Request(Operation.UPDATE, "issue", fields, "", Caller.ANONYMOUS, "",
                new MountInfo("m/", "uuid", "declared_1", 60, 120)));
        String names = IntStream.range(0, Math.min(unknownNames, 100))
                .mapToObj(i -> String.format(Locale.ROOT, "x%05d", i)).collect(Collectors.joining(" "));
        String more = unknownNames > 100 ? " … and " + (unknownNames - 100) + " more" : "";
        assertEquals(List.of("Endpoint ignored these unrecognized parameters: [" + names + more + "]"), r.warnings());
    }

    @Test
    void aTypeDeclaredTwiceIsAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> new LogicalBackend() {
            {
                register(SecretType.named("twice"));
                register(SecretType.named("twice"));
            }

            @Override
            public String type() {
                return "broken";
            }
        });
    }
}
