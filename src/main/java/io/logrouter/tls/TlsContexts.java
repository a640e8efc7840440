package io.logrouter.tls;

import io.logrouter.config.ConfigException;
import io.logrouter.config.ConfigKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Builds a TLS listener's {@link SSLContext} from a PKCS#12 keystore, and the protocols and
 * cipher suites every TLS listener (HTTPS, syslog) offers: TLS 1.3, and on TLS 1.2 only forward-secret AEAD suites (ECDHE with
 * AES-GCM or ChaCha20-Poly1305) — no CBC, no static RSA key exchange; client-initiated
 * renegotiation refused (a TLS 1.2 client could otherwise make the server redo handshakes at will).
 */
public final class TlsContexts {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /** The JDK property that makes its TLS 1.2 server refuse a renegotiation the client starts. */
  private static final String REJECT_CLIENT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  private TlsContexts() {}

  /** The protocols a TLS listener enables (a copy). */
  public static String[] protocols() {
    return PROTOCOLS.clone();
  }

  /**
   * The suites to offer, in the JDK's order of preference: every TLS 1.3 suite (all are AEAD with
   * ephemeral keys) and the TLS 1.2 ECDHE suites with GCM or ChaCha20-Poly1305.
   */
  public static String[] cipherSuites(SSLContext context) {
    return java.util.Arrays.stream(context.getDefaultSSLParameters().getCipherSuites())
        .filter(TlsContexts::forwardSecretAead)
        .toArray(String[]::new);
  }

  static boolean forwardSecretAead(String suite) {
    boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    boolean ecdheAead = suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"));
    return tls13 || ecdheAead;
  }

  /**
   * Makes the JDK's TLS server refuse client-initiated renegotiation. A system property read when
   * the first server handshake runs, so it is set before any listener starts; an operator's own
   * {@code -Djdk.tls.rejectClientInitiatedRenegotiation=...} wins.
   */
  public static void refuseClientRenegotiation() {
    if (System.getProperty(REJECT_CLIENT_RENEGOTIATION) == null) {
      System.setProperty(REJECT_CLIENT_RENEGOTIATION, "true");
    }
  }

  /**
   * A server-side engine for one connection, offering only {@link #protocols()} and {@code cipherSuites}.
   *
   * @param cipherSuites {@link #cipherSuites(SSLContext)} of the same context, computed once by the caller
   */
  public static SSLEngine serverEngine(SSLContext context, String[] cipherSuites) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    engine.setEnabledCipherSuites(cipherSuites);
    return engine;
  }

  /**
   * @param keystoreKey the config key that named the file, and passwordKey the one of its password: the
   *     error message names both, so the operator knows which listener's keystore is wrong
   * @param password of the keystore and of its private key (keytool gives both the same one)
   * @throws ConfigException when the file is missing, the password wrong or it holds no key
   */
  public static SSLContext fromPkcs12(ConfigKey<String> keystoreKey, ConfigKey<String> passwordKey, Path keystore,
      char[] password) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new ConfigException(keystoreKey.name() + "=" + keystore + ": holds no private key entry");
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      // "TLS" gives the JDK's enabled protocols (TLSv1.3 and 1.2 on current JDKs); older ones are disabled there.
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(keystoreKey.name() + "=" + keystore + ": cannot load the PKCS#12 keystore ("
          + e.getMessage() + "); check the file and " + passwordKey.envName());
    }
  }
}
