package fnserver_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/build/fnserver"
)

// upper stands in for the function: stdout is stdin upper-cased, stderr names the input, and
// an input saying "fail" fails.
func upper(stdin io.Reader, stdout, stderr io.Writer) bool {
	in, _ := io.ReadAll(stdin)
	fmt.Fprint(stdout, strings.ToUpper(string(in)))
	fmt.Fprintf(stderr, "warning: read %d bytes\n", len(in))
	return !bytes.Contains(in, []byte("fail"))
}

func TestRelay(t *testing.T) {
	srv, err := fnserver.Start(upper)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("kind: ConfigMap\n", 100000) // more than any socket buffer
	var wg sync.WaitGroup
	for i, in := range []string{"items: []\n", big, "fail\n", ""} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stdout, stderr bytes.Buffer
			ok, err := fnserver.Relay(srv.Addr(), strings.NewReader(in), &stdout, &stderr)
			if err != nil {
				t.Errorf("%d: %v", i, err)
				return
			}
			if want := !strings.Contains(in, "fail"); ok != want {
				t.Errorf("%d: ok = %v, want %v", i, ok, want)
			}
			if stdout.String() != strings.ToUpper(in) {
				t.Errorf("%d: stdout %d bytes, want %d", i, stdout.Len(), len(in))
			}
			if want := fmt.Sprintf("warning: read %d bytes\n", len(in)); stderr.String() != want {
				t.Errorf("%d: stderr %q, want %q", i, stderr.String(), want)
			}
		}()
	}
	wg.Wait()
	dir := filepath.Dir(srv.Addr())
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket directory left behind: %v", err)
	}
	_, err = fnserver.Relay(srv.Addr(), strings.NewReader("x"), io.Discard, io.Discard)
	if !errors.Is(err, fnserver.ErrUnreachable) {
		t.Errorf("relay to a closed server: %v, want ErrUnreachable", err)
	}
}
