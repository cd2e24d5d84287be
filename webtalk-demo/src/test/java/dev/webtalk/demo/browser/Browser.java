package dev.webtalk.demo.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One headless Chromium window driven through Debian's chromedriver — never a downloaded browser or
 * driver. Small helpers keep the tests readable: type into a field, click, wait for text.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    static {
        // Selenium warns that it has no DevTools bindings for this Chromium; the tests never use them.
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser(int width, int height) {
        this(width, height, "en-US");
    }

    /** A window whose browser prefers {@code language} (a BCP 47 tag such as "pt-BR"). */
    Browser(int width, int height, String language) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--lang=" + language,
                "--window-size=" + width + "," + height);
        // Headless Chromium keeps navigator.languages at en-US whatever --lang says; this preference sets it.
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().window().setSize(new Dimension(width, height));
        this.wait = new WebDriverWait(driver, WAIT);
        // The UI re-renders lists; an element found a moment ago may be gone: look again, not fail.
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    /** A 1280×800 window on the chat at {@code uri}, signed in as a new guest called {@code name}. */
    static Browser signedIn(URI uri, String name) {
        return signedIn(uri, name, 1280, 800);
    }

    /** A window of this size on the chat at {@code uri}, signed in as a new guest called {@code name}. */
    static Browser signedIn(URI uri, String name, int width, int height) {
        Browser browser = new Browser(width, height);
        browser.open(uri);
        browser.type("#name-input", name);
        browser.click("#name-submit");
        browser.find("#room-search");
        browser.until(d -> "connected".equals(
                d.findElement(By.cssSelector("#connection-state")).getAttribute("data-state")));
        return browser;
    }

    /** Creates a room from the form (its creator joins it) and returns its id. */
    String createRoom(String name, String password) {
        type("#create-room-name", name);
        if (password != null) {
            type("#create-room-password", password);
        }
        click("#create-room-submit");
        awaitText("#room-title", name);
        // On a phone the rooms list is off screen now, so look the item up without needing it visible.
        return until(d -> d.findElements(By.cssSelector(".room-item[data-room-id]")).stream()
                .filter(e -> e.getAttribute("textContent").contains(name))
                .map(e -> e.getAttribute("data-room-id")).findFirst().orElse(null));
    }

    /** Types {@code text} into the composer and sends it. */
    void say(String text) {
        type("#composer-input", text);
        click("#composer-send");
    }

    void open(URI uri) {
        driver.get(uri.toString());
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    void type(String css, String text) {
        WebElement field = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        field.clear();
        field.sendKeys(text);
    }

    void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Waits until an element matching {@code css} shows exactly {@code text}. */
    WebElement awaitText(String css, String text) {
        return until(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.isDisplayed() && e.getText().strip().equals(text))
                .findFirst().orElse(null));
    }

    /** Waits until an element matching {@code css} is visible and contains {@code text}. */
    WebElement awaitContains(String css, String text) {
        return until(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.isDisplayed() && e.getText().contains(text))
                .findFirst().orElse(null));
    }

    <T> T until(Function<org.openqa.selenium.WebDriver, T> condition) {
        return wait.until(condition);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Runs an async script; it finishes by calling {@code arguments[arguments.length - 1](result)}. */
    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** How far the page is wider than the window, in CSS pixels: 0 when nothing scrolls sideways. */
    long horizontalOverflow() {
        return ((Number) script("return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                .longValue();
    }

    /** Saves a PNG of the viewport under target/screenshots for review. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
