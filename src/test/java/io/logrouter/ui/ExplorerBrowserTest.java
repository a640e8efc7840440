package io.logrouter.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer in a real headless Chromium (Debian's chromium + chromium-driver, installed by
 * scripts/browser-clients.sh) against a real router and database: rows, the histogram's total,
 * load-more, the error position of a bad filter, live tail within 2 s, keyboard use, a 390 px
 * window, and API keys. Screenshots of each state go to target/ui-screenshots/.
 */
@Tag("once") // a real client: the SQL under it is the query API's, run on every database elsewhere
class ExplorerBrowserTest {
  private static final Path SHOTS = Path.of("target", "ui-screenshots");
  private static final String KEY = "explorer-key-0123456789";
  /** 130 "checkout" events (two pages of 100) among 150 in the last hour. */
  private static final int MATCHING = 130;
  private static final int OTHERS = 20;
  private static final String Q = "message ct 'checkout'";
  private static TestDatabase db;
  private static RouterHarness router;
  private static ChromeDriver browser;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Process install = new ProcessBuilder("bash", "scripts/browser-clients.sh").redirectErrorStream(true).start();
    String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean installed = install.waitFor(10, TimeUnit.MINUTES) && install.exitValue() == 0;
    assumeTrue(installed, "skipped: chromium / chromium-driver could not be installed from Debian "
        + "(scripts/browser-clients.sh): " + out);
    db = TestDatabase.create("explorer");
    router = RouterHarness.start(db, dir.resolve("queue"), Map.of("flush.interval", "1h"));
    seed();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,900", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (router != null) {
      router.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** Events of the last 25 minutes through the real ingest route, flushed. */
  private static void seed() {
    Instant now = Instant.now();
    StringBuilder batch = new StringBuilder("[");
    String[] levels = {"INFO", "INFO", "WARN", "ERROR"};
    for (int i = 0; i < MATCHING + OTHERS; i++) {
      boolean matching = i < MATCHING;
      batch.append(i == 0 ? "" : ",").append("{\"timestamp\":\"").append(now.minusSeconds(10L * i + 5))
          .append("\",\"level\":\"").append(levels[i % levels.length]).append("\",\"source\":\"")
          .append(i % 3 == 0 ? "auth" : "shop").append("\",\"message\":\"")
          .append(matching ? "checkout step " + i : "heartbeat " + i).append("\",\"order\":{\"id\":").append(i).append("}}");
    }
    assertEquals(202, router.post("/log", batch.append(']').toString()).status());
    assertEquals(MATCHING + OTHERS, router.flush());
  }

  private static WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(browser, timeout);
  }

  private static List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#rows tbody tr.event"));
  }

  private static void open(String query) {
    browser.get(router.url("/ui/" + query));
    waiting(Duration.ofSeconds(15)).until(d -> !((JavascriptExecutor) d)
        .executeScript("return document.getElementById('total').dataset.total || ''").toString().isEmpty()
        || d.findElement(By.id("q-error")).isDisplayed());
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aSharedSearchShowsItsRowsHistogramAndMoreOnRequest() throws Exception {
    browser.manage().window().setSize(new Dimension(1280, 900));
    open("?q=" + URLEncoder.encode(Q, StandardCharsets.UTF_8));
    assertEquals(Q, browser.findElement(By.id("q")).getAttribute("value"), "the filter comes from the URL");
    waiting(Duration.ofSeconds(10)).until(d -> rows().size() == 100);
    assertEquals(String.valueOf(MATCHING), browser.findElement(By.id("total")).getAttribute("data-total"),
        "the histogram counts every matching event, not only the page");
    List<WebElement> rows = rows();
    assertTrue(rows.get(0).getText().contains("checkout step 0"), "newest first: " + rows.get(0).getText());
    assertTrue(browser.findElement(By.id("levels")).getText().contains("ERROR"), "level quick filters with counts");
    assertTrue(browser.findElement(By.id("sources")).getText().contains("shop"), "source quick filters with counts");
    rows.get(0).click();
    WebElement detail = browser.findElement(By.cssSelector("#rows tbody tr.detail pre"));
    assertTrue(detail.getText().contains("\"order\""), detail.getText());
    screenshot("explorer");
    browser.findElement(By.id("more")).click();
    waiting(Duration.ofSeconds(10)).until(d -> rows().size() == MATCHING);
    assertTrue(!browser.findElement(By.id("more")).isDisplayed(), "no more pages");
    screenshot("explorer-load-more");
  }

  @Test
  void aBadFilterShowsWhereItBrokeUnderTheBox() throws Exception {
    browser.manage().window().setSize(new Dimension(1280, 900));
    open("");
    WebElement q = browser.findElement(By.id("q"));
    q.clear();
    q.sendKeys("level eq warn AND message ct", Keys.ENTER);
    WebElement error = waiting(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("q-error")));
    assertTrue(error.getText().contains("character 28"), error.getText());
    assertEquals("true", q.getAttribute("aria-invalid"));
    assertTrue(browser.getCurrentUrl().contains("q=level+eq+warn"), "the state is in the URL: " + browser.getCurrentUrl());
    screenshot("explorer-bad-filter");
  }

  @Test
  void liveTailShowsAnEventPostedAfterThePageOpenedWithinTwoSeconds() throws Exception {
    browser.manage().window().setSize(new Dimension(1280, 900));
    open("?q=" + URLEncoder.encode(Q, StandardCharsets.UTF_8));
    browser.findElement(By.id("live")).click();
    waiting(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-info"), "waiting"));
    Thread.sleep(300); // the stream's request is on its way; the tail reads from the queue's end at that moment
    assertEquals(202, router.post("/log", "{\"level\":\"error\",\"source\":\"shop\",\"message\":\"checkout live event\"}").status());
    assertEquals(202, router.post("/log", "{\"level\":\"error\",\"message\":\"not matching\"}").status());
    waiting(Duration.ofSeconds(2)).until(d -> d.findElements(By.cssSelector("#rows tbody tr.live")).stream()
        .anyMatch(r -> r.getText().contains("checkout live event")));
    assertEquals(1, browser.findElements(By.cssSelector("#rows tbody tr.live")).size(), "only the matching event");
    screenshot("explorer-live-tail");
    browser.findElement(By.id("live")).click();
  }

  @Test
  void usableWithTheKeyboardAloneAndAt390PixelsWide() throws Exception {
    browser.manage().window().setSize(new Dimension(390, 844));
    open("");
    new Actions(browser).sendKeys("/").perform();
    assertEquals("q", browser.switchTo().activeElement().getAttribute("id"), "'/' focuses the search box");
    new Actions(browser).sendKeys(Q).sendKeys(Keys.ENTER).perform();
    waiting(Duration.ofSeconds(10)).until(d -> String.valueOf(MATCHING).equals(
        d.findElement(By.id("total")).getAttribute("data-total")));
    WebElement focused = null;
    for (int i = 0; i < 40; i++) {
      new Actions(browser).sendKeys(Keys.TAB).perform();
      focused = browser.switchTo().activeElement();
      if ("tr".equals(focused.getTagName())) {
        break;
      }
    }
    assertEquals("tr", focused.getTagName(), "Tab reaches the rows");
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    assertEquals("true", focused.getAttribute("aria-expanded"), "Enter opens the event's attributes");
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertTrue(((Number) overflow).intValue() <= 0, "no sideways scrolling at 390 px: " + overflow + " px");
    screenshot("explorer-390px");
  }

  @Test
  void withApiKeysThePageAsksForOneAndWorksWithIt() throws Exception {
    try (RouterHarness keyed = RouterHarness.start(db, dir.resolve("keyed"), Map.of("auth.api.keys", KEY + ":query",
        "flush.interval", "1h"))) {
      browser.manage().window().setSize(new Dimension(1280, 900));
      browser.get(keyed.url("/ui/?q=" + URLEncoder.encode(Q, StandardCharsets.UTF_8)));
      WebElement error = waiting(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("q-error")));
      assertTrue(error.getText().contains("API key"), error.getText());
      WebElement key = browser.findElement(By.id("api-key"));
      key.sendKeys(KEY, Keys.TAB); // 'change' fires on leaving the field
      waiting(Duration.ofSeconds(10)).until(d -> rows().size() == 100);
      assertEquals(KEY, ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('logrouter.apiKey')"));
      waiting(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "DB up"));
      ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }
  }
}
