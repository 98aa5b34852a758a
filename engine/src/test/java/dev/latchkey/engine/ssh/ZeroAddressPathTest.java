package dev.latchkey.engine.ssh;

import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code config/zeroaddress} on the engine itself: the roles that admit any address. */
class ZeroAddressPathTest {
    private final BackendHarness ssh = BackendHarness.create();

    @BeforeEach
    void roles() {
        for (String name : List.of("alpha", "bravo", "charlie")) {
            ssh.write("roles/" + name, Map.of("key_type", "otp", "default_user", "u", "cidr_list", "10.0.0.0/8"))
                    .assertNoContent();
        }
    }

    private Object stored() {
        Map<String, Object> data = ssh.read("config/zeroaddress").data();
        return data == null ? "nothing" : data.get("roles");
    }

    @Test
    void nothingIsStoredBeforeTheFirstWrite() {
        assertNull(ssh.read("config/zeroaddress").data(), "a read that finds nothing has no body: Vault's 404");
    }

    /** The roles come as a JSON array or a comma-separated string; the order is kept, items are trimmed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # roles written                       | roles read back
            {"roles":["charlie","alpha","bravo"]} | charlie,alpha,bravo
            {"roles":" bravo ,alpha"}             | bravo,alpha
            {"roles":"alpha"}                     | alpha
            """)
    void aWriteStoresTheListInItsOrder(String written, String readBack) {
        ssh.writeJson("config/zeroaddress", written).assertNoContent();
        assertEquals(List.of(readBack.split(",")), stored());
    }

    @Test
    void aWriteReplacesTheWholeList() {
        ssh.write("config/zeroaddress", Map.of("roles", List.of("alpha", "bravo"))).assertNoContent();
        ssh.write("config/zeroaddress", Map.of("roles", List.of("charlie"))).assertNoContent();
        assertEquals(List.of("charlie"), stored());
    }

    /** A refused write changes nothing: no list stays no list, a stored list stays as it was. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # roles written            | error
            {"roles":[]}               | Missing roles
            {"roles":""}               | Missing roles
            {}                         | Missing roles
            {"roles":["ghost"]}        | Role "ghost" does not exist
            {"roles":"alpha, ghost2"}  | Role "ghost2" does not exist
            {"roles":["Alpha"]}        | Role "Alpha" does not exist
            """)
    void aRefusedWriteKeepsWhatWasStored(String written, String error) {
        ssh.writeJson("config/zeroaddress", written).assertError(400, error);
        assertEquals("nothing", stored());
        ssh.write("config/zeroaddress", Map.of("roles", List.of("bravo"))).assertNoContent();
        ssh.writeJson("config/zeroaddress", written).assertError(400, error);
        assertEquals(List.of("bravo"), stored());
    }

    @Test
    void deleteRemovesTheListAndDeletingAgainIsHarmless() {
        ssh.write("config/zeroaddress", Map.of("roles", List.of("alpha"))).assertNoContent();
        ssh.delete("config/zeroaddress").assertNoContent();
        assertEquals("nothing", stored());
        ssh.delete("config/zeroaddress").assertNoContent();
        assertEquals("nothing", stored());
    }

    @Test
    void deletingListedRolesRewritesTheListDownToEmpty() {
        ssh.write("config/zeroaddress", Map.of("roles", List.of("bravo", "alpha"))).assertNoContent();
        ssh.delete("roles/charlie").assertNoContent();
        assertEquals(List.of("bravo", "alpha"), stored(), "deleting an unlisted role keeps the list");
        ssh.delete("roles/bravo").assertNoContent();
        assertEquals(List.of("alpha"), stored());
        ssh.delete("roles/alpha").assertNoContent();
        assertEquals(List.of(), stored(), "an emptied list is still a list");
    }
}
