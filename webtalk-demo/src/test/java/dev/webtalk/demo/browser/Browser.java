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
        // Keeps what the page and Chromium itself print to the console, for consoleMessages().
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
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

    /** What the page and Chromium itself printed to the console since the last call. */
    List<String> consoleMessages() {
        return driver.manage().logs().get("browser").getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage).toList();
    }

    /** Runs {@code source} in every page this window loads from now on, before the page's own scripts. */
    void beforeEveryPage(String source) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", source));
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

    /** Presses keys as the user would, on whatever element has focus now. */
    void press(CharSequence... keys) {
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
    }

    /** Presses Shift+Tab {@code times} times. */
    void shiftTab(int times) {
        org.openqa.selenium.interactions.Actions actions = new org.openqa.selenium.interactions.Actions(driver);
        for (int i = 0; i < times; i++) {
            actions.keyDown(org.openqa.selenium.Keys.SHIFT).sendKeys(org.openqa.selenium.Keys.TAB)
                    .keyUp(org.openqa.selenium.Keys.SHIFT);
        }
        actions.perform();
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

    /**
     * Emulates the {@code prefers-color-scheme} media feature ("light" or "dark") through the DevTools
     * protocol, as the operating system's setting would.
     */
    void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                java.util.Map.of("features", List.of(java.util.Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /**
     * Every visible text on the page (an element with a text node of its own) whose contrast with what is
     * behind it is under WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Colours come from
     * computed styles: the text colour over the background colours of its ancestors, composited with their
     * alpha and opacity. Each entry says what the text is, its colours and ratio.
     */
    @SuppressWarnings("unchecked")
    List<String> lowContrastTexts(String withinCss) {
        return (List<String>) script("""
                const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
                  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
                const over = (top, under) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1); };
                const lum = (c) => { const v = c.slice(0, 3).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
                const ratio = (a, b) => { const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x); return (l1 + 0.05) / (l2 + 0.05); };
                const canvas = getComputedStyle(document.documentElement).colorScheme.includes('dark')
                  && matchMedia('(prefers-color-scheme: dark)').matches ? [18, 18, 18, 1] : [255, 255, 255, 1];
                function background(el) {
                  const layers = []; let opacity = 1;
                  for (let e = el; e; e = e.parentElement) {
                    const s = getComputedStyle(e);
                    opacity *= Number(s.opacity);
                    const c = parse(s.backgroundColor);
                    if (c[3] > 0) { layers.push([c[0], c[1], c[2], c[3] * opacity]); if (c[3] >= 1 && opacity >= 1) break; }
                  }
                  return layers.reverse().reduce((under, layer) => over(layer, under), canvas);
                }
                const root = document.querySelector(arguments[0]) || document.body;
                const bad = [];
                for (const el of [root, ...root.querySelectorAll('*')]) {
                  if (!['P', 'SPAN', 'TIME', 'A', 'BUTTON', 'LABEL', 'H1', 'H2', 'H3', 'LI', 'DIV', 'STRONG', 'EM', 'DT', 'DD', 'TD', 'TH', 'SUMMARY', 'SMALL', 'OUTPUT']
                    .includes(el.tagName)) continue;
                  const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
                  if (!own) continue;
                  const box = el.getBoundingClientRect();
                  const s = getComputedStyle(el);
                  if (box.width <= 1 || box.height <= 1 || s.visibility !== 'visible' || el.closest('[hidden], .sr-only, .visually-hidden')) continue;
                  if (el.closest('button:disabled, input:disabled, textarea:disabled')) continue; // WCAG exempts inactive controls
                  let opacity = 1; for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
                  if (opacity === 0) continue;
                  const fg = parse(s.color); fg[3] *= opacity;
                  const bg = background(el);
                  const text = over(fg, bg);
                  const size = parseFloat(s.fontSize); const bold = Number(s.fontWeight) >= 700;
                  const large = size >= 24 || (bold && size >= 18.66);
                  const r = ratio(text, bg);
                  if (r < (large ? 3 : 4.5)) bad.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${own.slice(0, 40)}": `
                    + `${s.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')}) = ${r.toFixed(2)}:1`);
                }
                return bad;
                """, withinCss);
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
