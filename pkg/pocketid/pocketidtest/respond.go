package pocketidtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// notFoundRoute is the router's answer to an unknown route: plain text, no JSON body.
func notFoundRoute(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "404 page not found")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes the error body of the configured version.
func (s *Server) writeError(w http.ResponseWriter, status int, code, msg string, details map[string]any) {
	if !s.atLeast(2, 13) {
		writeJSON(w, status, map[string]any{"error": msg})
		return
	}
	s.mu.Lock()
	s.seq++
	rid := fmt.Sprintf("00000000-0000-4000-8000-%012d", s.seq)
	s.mu.Unlock()
	body := map[string]any{"error": msg, "code": code, "request_id": rid}
	if details != nil {
		body["details"] = details
	}
	w.Header().Set("X-Request-Id", rid)
	writeJSON(w, status, body)
}

type fieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) validationError(w http.ResponseWriter, errs []fieldError) {
	s.writeError(w, http.StatusBadRequest, "validation_failed", "Validation failed: "+errs[0].Message,
		map[string]any{"fields": errs})
}

func (s *Server) notFound(w http.ResponseWriter, resource string) {
	s.writeError(w, http.StatusNotFound, "not_found", resource+" not found", map[string]any{"resource": resource})
}

// bindJSON enforces the content type and decodes like Gin's binding: unknown keys ignored,
// type mismatches refused.
func (s *Server) bindJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	ct := r.Header.Get("Content-Type")
	if i := strings.Index(ct, ";"); i >= 0 {
		ct = ct[:i]
	}
	if strings.TrimSpace(strings.ToLower(ct)) != "application/json" {
		s.writeError(w, http.StatusBadRequest, "invalid_request_body", "Content-Type must be application/json", nil)
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		s.writeError(w, http.StatusBadRequest, "invalid_request_body", "Invalid request body", nil)
		return false
	}
	return true
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// paginate reads pagination[page] and pagination[limit] (default 20, max 100; a page past the
// end is clamped to the last page).
func paginate(q url.Values, total int) (start, end int, p map[string]int) {
	limit, err := strconv.Atoi(q.Get("pagination[limit]"))
	if err != nil || limit < 1 {
		limit = 20
	}
	if limit > 100 {
		limit = 100
	}
	page, err := strconv.Atoi(q.Get("pagination[page]"))
	if err != nil || page < 1 {
		page = 1
	}
	pages := (total + limit - 1) / limit
	if page > pages && pages > 0 {
		page = pages
	}
	start = (page - 1) * limit
	end = min(start+limit, total)
	return start, end, map[string]int{"totalPages": pages, "totalItems": total, "currentPage": page, "itemsPerPage": limit}
}
