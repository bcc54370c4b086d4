package fnserver

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
)

// Func is a KRM function: a ResourceList in, a ResourceList and messages out; false on failure.
type Func func(stdin io.Reader, stdout, stderr io.Writer) bool

// Server serves one Func until Close.
type Server struct {
	dir string
	ln  net.Listener
	fn  Func
	wg  sync.WaitGroup
}

// Start listens on a new socket only this user can reach.
func Start(fn Func) (*Server, error) {
	dir, err := os.MkdirTemp("", "pocketid-oidc-render-")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "fn.sock"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{dir: dir, ln: ln, fn: fn}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Addr is the socket path to give Relay.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops listening, waits for the calls in progress and removes the socket.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	if rerr := os.RemoveAll(s.dir); err == nil {
		err = rerr
	}
	return err
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.call(conn)
		}()
	}
}

// call reads the request (stdin, until the relay closes its side) and answers: one byte (1: the
// function succeeded), the length of stdout (8 bytes, big endian), stdout, then stderr.
func (s *Server) call(conn net.Conn) {
	in, err := io.ReadAll(conn)
	if err != nil {
		return // the relay is gone; it reports its own error
	}
	var stdout, stderr bytes.Buffer
	ok := s.fn(bytes.NewReader(in), &stdout, &stderr)
	var head [9]byte
	if ok {
		head[0] = 1
	}
	binary.BigEndian.PutUint64(head[1:], uint64(stdout.Len()))
	w := bufio.NewWriter(conn)
	w.Write(head[:])
	w.Write(stdout.Bytes())
	w.Write(stderr.Bytes())
	w.Flush()
}

// ErrUnreachable wraps a failure to reach the server; nothing was written then, so the caller
// may run the function itself instead.
var ErrUnreachable = errors.New("function server unreachable")

// Relay calls the server at addr with stdin and copies the function's stdout and stderr. It
// reports whether the function succeeded.
func Relay(addr string, stdin io.Reader, stdout, stderr io.Writer) (bool, error) {
	conn, err := net.Dial("unix", addr)
	if err != nil {
		return false, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	defer conn.Close()
	if _, err := io.Copy(conn, stdin); err != nil {
		return false, err
	}
	if err := conn.(*net.UnixConn).CloseWrite(); err != nil {
		return false, err
	}
	r := bufio.NewReader(conn)
	var head [9]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return false, fmt.Errorf("function server: %w", err)
	}
	if _, err := io.CopyN(stdout, r, int64(binary.BigEndian.Uint64(head[1:]))); err != nil {
		return false, fmt.Errorf("function server: %w", err)
	}
	if _, err := io.Copy(stderr, r); err != nil {
		return false, err
	}
	return head[0] == 1, nil
}
