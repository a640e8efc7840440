package io.logrouter.http;

import io.logrouter.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the HTTPS listener's {@link SSLContext} from a PKCS#12 keystore. */
final class TlsContexts {
  private TlsContexts() {}

  /**
   * @param password of the keystore and of its private key (keytool gives both the same one)
   * @throws ConfigException when the file is missing, the password wrong or it holds no key
   */
  static SSLContext fromPkcs12(Path keystore, char[] password) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new ConfigException("http.tls.keystore=" + keystore + ": holds no private key entry");
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      // "TLS" gives the JDK's enabled protocols (TLSv1.3 and 1.2 on current JDKs); older ones are disabled there.
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("http.tls.keystore=" + keystore + ": cannot load the PKCS#12 keystore ("
          + e.getMessage() + "); check the file and LOGROUTER_HTTP_TLS_KEYSTORE_PASSWORD");
    }
  }
}
