package dev.latchkey.api.sys;

import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.api.core.ClusterView;
import dev.latchkey.api.mount.EngineCatalog;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.engine.storage.MemoryStorage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code sys/} paths that need {@code sudo} as well as their operation's capability: those
 * Vault's system backend lists as root-protected (listing leases, revoking by prefix, forcing,
 * rotating the barrier's key), and no others. Declarations only: no request is handled, so no lease manager is needed.
 */
class SudoPathsTest {
    private static final SystemBackend SYS = new SystemBackend(
            new MountTable(new MemoryStorage(), new MemoryStorage(), new EngineCatalog(Map.of()), SystemDefaults.VAULT),
            null, null, "1.21.0", ClusterView.STANDALONE, new PolicyStore(new MemoryStorage()), null, null, null, null, Runnable::run,
            System::currentTimeMillis, null);

    @ParameterizedTest(name = "[{index}] sys/{0} needs sudo: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            leases/lookup/ssh/creds/       | true
            leases/lookup/                 | true
            leases/revoke-prefix/ssh/creds | true
            leases/revoke-force/ssh/creds  | true
            revoke-prefix/ssh/creds        | true
            revoke-force/ssh/creds         | true
            leases/lookup                  | false
            leases/renew                   | false
            leases/renew/ssh/creds/web/x   | false
            leases/revoke                  | false
            leases/revoke/ssh/creds/web/x  | false
            renew/ssh/creds/web/x          | false
            revoke/ssh/creds/web/x         | false
            mounts                         | false
            mounts/ssh                     | false
            mounts/ssh/tune                | false
            rotate                         | true
            rotate/keyring                 | true
            key-status                     | false
            capabilities                   | false
            capabilities-self              | false
            capabilities-accessor          | false
            policies/acl/dev               | false
            internal/ui/mounts             | false
            auth                           | false
            auth/userpass                  | true
            auth/userpass/tune             | true
            audit                          | true
            audit/file                     | true
            audit-hash/file                | false
            """)
    void rootProtectedPathsAreDeclaredSo(String path, boolean sudo) {
        assertEquals(sudo, SYS.requiresSudo(path));
    }
}
