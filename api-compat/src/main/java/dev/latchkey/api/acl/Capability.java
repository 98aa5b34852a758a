package dev.latchkey.api.acl;

/** ACL capabilities, as Vault policies name them. */
public enum Capability {
    CREATE, READ, UPDATE, DELETE, LIST, SUDO, DENY
}
