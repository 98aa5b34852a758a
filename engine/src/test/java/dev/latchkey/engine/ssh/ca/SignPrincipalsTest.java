package dev.latchkey.engine.ssh.ca;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which principals {@code sign/:role} puts in a certificate, on the engine: the requested
 * {@code valid_principals} (trimmed, de-duplicated, sorted), the default user as the fallback, and
 * the role's allowed users (user certificates) or allowed domains (host certificates).
 */
class SignPrincipalsTest {
    private final CaMount ca = CaMount.ed25519();

    /**
     * A blank request cell sends no {@code valid_principals}; {@code ``} sends it empty. Where
     * several principals are refused, the first in sorted order is named.
     */
    @ParameterizedTest(name = "[{index}] {0} | {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role fields besides key_type (ca) and one certificate flag | key | valid_principals | outcome
            # empty principals are refused unless allowed, and the allowed list is not consulted then
            "allow_user_certificates":true,"allowed_users":"alice"                                           | ed25519 |                                 | error: empty valid principals not allowed by role
            "allow_user_certificates":true,"allowed_users":"alice"                                           | ed25519 | ``                              | error: empty valid principals not allowed by role
            "allow_user_certificates":true,"allowed_users":"alice"                                           | ed25519 | ` , ,`                          | error: empty valid principals not allowed by role
            "allow_user_certificates":true,"allowed_users":"alice","allow_empty_principals":true             | ed25519 | ``                              | principals: (none)
            "allow_user_certificates":true,"allowed_users":"alice","allow_empty_principals":true             | ed25519 |                                 | principals: (none)
            "allow_user_certificates":true,"allow_empty_principals":true                                     | ed25519 |                                 | principals: (none)
            # the default user is the fallback principal, even over allow_empty_principals
            "allow_user_certificates":true,"default_user":"alice","allowed_users":"alice,bob"                | ed25519 |                                 | principals: alice
            "allow_user_certificates":true,"default_user":"alice","allowed_users":"alice,bob"                | ed25519 | ``                              | principals: alice
            "allow_user_certificates":true,"default_user":"alice","allowed_users":"alice,bob"                | ed25519 | ` , `                           | principals: alice
            "allow_user_certificates":true,"default_user":"alice","allowed_users":"alice,bob"                | ed25519 | bob                             | principals: bob
            "allow_user_certificates":true,"default_user":"alice","allowed_users":"alice","allow_empty_principals":true | ed25519 | ``                    | principals: alice
            # ... but it is not implicitly allowed
            "allow_user_certificates":true,"default_user":"carol","allowed_users":"alice"                    | ed25519 |                                 | error: carol is not a valid value for valid_principals
            "allow_user_certificates":true,"default_user":"carol"                                            | ed25519 |                                 | error: role is not configured to allow any principals
            # allowed_users
            "allow_user_certificates":true                                                                   | ed25519 | alice                           | error: role is not configured to allow any principals
            "allow_user_certificates":true,"allowed_users":" , "                                             | ed25519 | alice                           | error: role is not configured to allow any principals
            "allow_user_certificates":true,"allowed_users":"alice, bob"                                      | ed25519 | ` bob,alice , bob,`             | principals: alice,bob
            "allow_user_certificates":true,"allowed_users":"alice, bob"                                      | ed25519 | alice,mallory                   | error: mallory is not a valid value for valid_principals
            "allow_user_certificates":true,"allowed_users":"alice, bob"                                      | ed25519 | Alice                           | error: Alice is not a valid value for valid_principals
            "allow_user_certificates":true,"allowed_users":"alice, bob"                                      | ed25519 | zed,eve                         | error: eve is not a valid value for valid_principals
            "allow_user_certificates":true,"allowed_users":"*"                                               | ed25519 | root,anyone,*                   | principals: *,anyone,root
            # a * inside a list has no special meaning
            "allow_user_certificates":true,"allowed_users":"alice,*"                                         | ed25519 | bob                             | error: bob is not a valid value for valid_principals
            "allow_user_certificates":true,"allowed_users":"alice,*"                                         | ed25519 | *                               | principals: *
            # host certificates: allowed_domains, with subdomains and bare domains as the role allows
            "allow_host_certificates":true,"allowed_domains":"example.com, example.org","allow_subdomains":true,"default_user":"ignored" | p256 | a.b.example.org,web.example.com | principals: a.b.example.org,web.example.com
            "allow_host_certificates":true,"allowed_domains":"example.com, example.org","allow_subdomains":true,"default_user":"ignored" | p256 | example.com     | error: example.com is not a valid value for valid_principals
            "allow_host_certificates":true,"allowed_domains":"example.com, example.org","allow_subdomains":true,"default_user":"ignored" | p256 | badexample.com  | error: badexample.com is not a valid value for valid_principals
            # the default principal of a host certificate is always empty
            "allow_host_certificates":true,"allowed_domains":"example.com, example.org","allow_subdomains":true,"default_user":"ignored" | p256 |                 | error: empty valid principals not allowed by role
            "allow_host_certificates":true,"allowed_domains":"example.com","allow_bare_domains":true         | p256    | example.com                     | principals: example.com
            "allow_host_certificates":true,"allowed_domains":"example.com","allow_bare_domains":true         | p256    | web.example.com                 | error: web.example.com is not a valid value for valid_principals
            "allow_host_certificates":true,"allowed_domains":"example.com"                                   | p256    | example.com                     | error: example.com is not a valid value for valid_principals
            "allow_host_certificates":true,"allowed_domains":"*"                                             | p256    | anything.at.all                 | principals: anything.at.all
            "allow_host_certificates":true,"allowed_domains":"example.com,*","allow_bare_domains":true,"allow_subdomains":true | p256 | other.org              | error: other.org is not a valid value for valid_principals
            "allow_host_certificates":true,"allow_subdomains":true                                           | p256    | a.example.com                   | error: role is not configured to allow any principals
            # allowed_users plays no part in host certificates
            "allow_host_certificates":true,"allowed_users":"*"                                               | p256    | h                               | error: role is not configured to allow any principals
            """)
    void principals(String roleFields, String keyName, String validPrincipals, String outcome) {
        boolean host = roleFields.contains("\"allow_host_certificates\":true");
        String request = (host ? "\"cert_type\":\"host\"" : "")
                + (validPrincipals == null ? "" : (host ? "," : "") + "\"valid_principals\":" + CaMount.json(validPrincipals));
        ca.check("{\"key_type\":\"ca\"," + roleFields + "}", CaMount.key(keyName), request, outcome);
    }
}
