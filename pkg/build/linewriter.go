package build

import (
	"bytes"
	"io"
)

// LineWriter writes every line to W with Prefix in front, each line in one Write, so that the
// lines of several processes sharing one stderr interleave whole and say whose they are.
type LineWriter struct {
	W      io.Writer
	Prefix string
	buf    []byte
}

// Write buffers p and writes the lines it completes.
func (l *LineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if err := l.line(l.buf[:i+1]); err != nil {
			return len(p), err
		}
		l.buf = l.buf[i+1:]
	}
}

// Flush writes a last line that has no newline yet.
func (l *LineWriter) Flush() error {
	if len(l.buf) == 0 {
		return nil
	}
	err := l.line(append(l.buf, '\n'))
	l.buf = nil
	return err
}

func (l *LineWriter) line(b []byte) error {
	_, err := l.W.Write(append([]byte(l.Prefix), b...))
	return err
}
