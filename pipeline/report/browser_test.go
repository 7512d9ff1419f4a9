package report

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/png"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// This file opens the HTML report in headless Chromium (Debian's chromium
// with fonts-noto-cjk) from a file:// URL, with DNS disabled and every
// request sent to a recording proxy, and checks that the page renders its
// Chinese headings and charts and that the page requests nothing.
//
// The test skips when chromium is not installed, unless CI is set.

// needTool returns the path of the first of names found, or skips the test
// (fails it when the CI environment variable is set).
func needTool(t *testing.T, why string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not installed (%s); CI must install it (apt-get install chromium fonts-noto-cjk)", names[0], why)
	}
	t.Skipf("%s not installed (%s)", names[0], why)
	return ""
}

// recorder stands in for an HTTP proxy: it accepts every connection,
// records the host the client asks for (CONNECT host:port, or the host of
// an absolute-URI request line) and closes it, so every request fails fast.
type recorder struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	hosts []string
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	r := &recorder{ln: ln}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.wg.Add(1)
			go func() {
				defer r.wg.Done()
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(2 * time.Second))
				line, _ := bufio.NewReader(c).ReadString('\n')
				r.mu.Lock()
				r.hosts = append(r.hosts, requestHost(line))
				r.mu.Unlock()
			}()
		}
	}()
	return r
}

// requestHost returns the host a proxy request line asks for, or the line
// itself (quoted by the caller's messages) when it cannot be parsed.
func requestHost(line string) string {
	if strings.TrimSpace(line) == "" {
		return noRequest
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return "unparsed request: " + strings.TrimSpace(line)
	}
	if f[0] == "CONNECT" {
		if h, _, err := net.SplitHostPort(f[1]); err == nil {
			return h
		}
		return f[1]
	}
	if u, err := url.Parse(f[1]); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "unparsed request: " + strings.TrimSpace(line)
}

func (r *recorder) addr() string { return r.ln.Addr().String() }

// close stops the listener and returns the hosts asked for.
func (r *recorder) close() []string {
	r.ln.Close()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.hosts...)
}

// browserServiceHosts are contacted by Chromium itself when it starts,
// whatever page it shows, and no flag turns them off in Chromium 156: the
// sign-in account check (IdentityManager's ListAccounts), the component
// updater and network time. They are not requests of the page; any other
// host fails the test.
var browserServiceHosts = []string{"accounts.google.com", "update.googleapis.com", "clients2.google.com"}

// noRequest is recorded for a connection closed before it sent a request
// line: Chromium opens spare connections to its proxy (preconnects) and
// drops them when it exits. With no request line there is no host, so it
// is not a request of the page.
const noRequest = "connection without a request"

// pageRequests returns the hosts that are not Chromium's own services.
func pageRequests(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		if h != noRequest && !slices.Contains(browserServiceHosts, h) {
			out = append(out, h)
		}
	}
	return out
}

// chromium runs headless Chromium on a file with networking disabled (no
// DNS, every connection through the recorder) and returns its stdout and
// the hosts it asked the proxy for.
func chromium(t *testing.T, bin, file string, args ...string) ([]byte, []string) {
	t.Helper()
	rec := newRecorder(t)
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
		"--disable-features=NetworkTimeServiceQuerying",
		"--user-data-dir=" + filepath.Join(home, "profile"),
		"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
		"--proxy-server=" + rec.addr(),
	}
	u := url.URL{Scheme: "file", Path: file}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), u.String())...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	hosts := rec.close()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes(), hosts
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func TestBrowserRendersReport(t *testing.T) {
	bin := needTool(t, "the browser test opens report.html", "chromium", "chromium-browser")
	needTool(t, "the browser test needs fontconfig to check for CJK fonts", "fc-list")
	if out, err := exec.Command("fc-list", ":lang=zh", "family").Output(); err != nil || len(bytes.TrimSpace(out)) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("no font covers Chinese (fc-list :lang=zh is empty); install fonts-noto-cjk")
		}
		t.Skip("no font covers Chinese; install fonts-noto-cjk")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := WriteHTML(&b, sampleModel()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Control: a page that does fetch must be seen by the recorder, or the
	// "no request" check below would prove nothing.
	control := filepath.Join(dir, "control.html")
	os.WriteFile(control, []byte(`<!DOCTYPE html><html><body><p>对照</p><img src="http://page-request.invalid/x.png"></body></html>`), 0o644)
	if _, hosts := chromium(t, bin, control, "--dump-dom"); !slices.Contains(hosts, "page-request.invalid") {
		t.Fatalf("the recording proxy did not see the control page's image request (saw %q)", hosts)
	}

	t.Run("dom", func(t *testing.T) {
		dom, hosts := chromium(t, bin, page, "--dump-dom")
		t.Logf("dom: %d bytes; proxy saw %q", len(dom), hosts)
		if req := pageRequests(hosts); len(req) > 0 {
			t.Errorf("the report made requests to %q, want none", req)
		}
		s := string(dom)
		for _, want := range []string{"<title>“两张皮”问题调查分析报告</title>", "<h1>“两张皮”问题调查分析报告</h1>",
			"一、数据概况", "二、选择题频数", "三、原因类别（编码本）", "四、开放题聚类", "五、交叉分析", "六、统计检验",
			"七、报告中的数据陈述", "八、方法说明", "履行“一岗双责”意识不到位"} {
			if !strings.Contains(s, want) {
				t.Errorf("the rendered DOM lacks %q", want)
			}
		}
		if got := strings.Count(s, "<svg"); got != sampleChartCount {
			t.Errorf("the rendered DOM has %d <svg> elements, want %d", got, sampleChartCount)
		}
		if strings.Contains(s, "<script>alert") {
			t.Errorf("user markup became an element in the rendered DOM")
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(dir, "shot.png")
		_, hosts := chromium(t, bin, page, "--screenshot="+shot, "--window-size=1200,3000")
		if req := pageRequests(hosts); len(req) > 0 {
			t.Errorf("the report made requests to %q, want none", req)
		}
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if got := img.Bounds().Size(); got != (image.Point{1200, 3000}) {
			t.Errorf("screenshot size = %v, want 1200x3000", got)
		}
		mean, variance, chartBlue := pixelStats(img)
		t.Logf("screenshot: luminance mean %.1f, variance %.1f, %d bar-colour pixels; proxy saw %q", mean, variance, chartBlue, hosts)
		// A blank page has variance 0; the report's text and charts on
		// white give several hundred.
		if variance < 100 {
			t.Errorf("screenshot luminance variance = %.1f (mean %.1f), want >= 100: the page looks blank", variance, mean)
		}
		// The bars of the frequency charts are palette[0] (#3b6ea5).
		if chartBlue < 2000 {
			t.Errorf("screenshot has %d pixels of the bar colour #3b6ea5, want >= 2000: charts did not render", chartBlue)
		}
	})
}

// pixelStats returns the mean and variance of the luminance (0–255) of
// img and the number of pixels within a small distance of the first
// palette colour.
func pixelStats(img image.Image) (mean, variance float64, chartBlue int) {
	bd := img.Bounds()
	var sum, sumSq float64
	n := 0
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r8, g8, b8 := float64(r>>8), float64(g>>8), float64(b>>8)
			l := 0.299*r8 + 0.587*g8 + 0.114*b8
			sum += l
			sumSq += l * l
			n++
			if absf(r8-0x3b)+absf(g8-0x6e)+absf(b8-0xa5) <= 12 {
				chartBlue++
			}
		}
	}
	mean = sum / float64(n)
	return mean, sumSq/float64(n) - mean*mean, chartBlue
}

func absf(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
