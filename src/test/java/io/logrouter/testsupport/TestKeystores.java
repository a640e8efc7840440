package io.logrouter.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed PKCS#12 keystores made by the JDK's keytool, and client contexts that trust them. */
public final class TestKeystores {
  /** The alias of the key pair in every keystore made here. */
  public static final String ALIAS = "router";

  private TestKeystores() {}

  /** An EC P-256 key and a two-day self-signed certificate for CN=localhost, SAN localhost and 127.0.0.1. */
  public static Path selfSigned(Path dir, String password) {
    Path keystore = dir.resolve("router.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    try {
      Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
          "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
          "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
          "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool: " + output);
      }
      return keystore;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The keystore's certificate as PEM, for clients that take a CA file (rsyslog, syslog-ng). */
  public static String certificatePem(Path keystore, String password) {
    try {
      byte[] der = load(keystore, password).getCertificate(ALIAS).getEncoded();
      return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts only the keystore's certificate. */
  public static SSLContext trusting(Path keystore, String password) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(ALIAS, load(keystore, password).getCertificate(ALIAS));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load(Path keystore, String password) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load " + keystore, e);
    }
  }
}
