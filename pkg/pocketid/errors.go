package pocketid

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Stable error codes Pocket ID (v2.13+) puts in the "code" field of an error body.
const (
	CodeValidationFailed      = "validation_failed"
	CodeInvalidRequestBody    = "invalid_request_body"
	CodeNotSignedIn           = "not_signed_in"
	CodeForbidden             = "forbidden"
	CodeAPIKeyAuthNotAllowed  = "api_key_auth_not_allowed"
	CodeNotFound              = "not_found"
	CodeClientIDAlreadyExists = "client_id_already_exists"
	CodeAlreadyInUse          = "already_in_use"
	CodeRateLimited           = "rate_limited"
	CodeInternalError         = "internal_error"
	// CodeInvalidClient is the OAuth error of the token endpoint for a wrong client secret.
	CodeInvalidClient = "invalid_client"
)

// maxMessage bounds how much of a non-JSON error body ends up in an error string: a proxy's HTML
// error page is noise, and nothing unbounded from the network belongs in a log line.
const maxMessage = 300

// APIError is a non-2xx answer of Pocket ID. It carries what an operator needs to find the cause
// in Pocket ID's own logs (RequestID) and which input was refused (Fields).
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	// Code is the stable code of v2.13+ ("validation_failed"), or for the token endpoint the
	// OAuth error ("invalid_client"). Empty for older servers.
	Code      string
	Message   string
	RequestID string
	// Fields are details.fields of a validation error, with JSON field names.
	Fields []FieldError
	// Resource is details.resource of a not_found error ("OIDC client").
	Resource string
	// Property is details.property of an already_in_use error ("name").
	Property string
	// Details is the raw details object, for anything not decoded above.
	Details json.RawMessage
	// AfterLostAnswer: an earlier attempt of the same request got no answer, so it may have
	// been applied; a 409 then most likely means "done by us", not "done by someone else".
	AfterLostAnswer bool

	// retryAfter is the wait a 429 asked for (Retry-After), for callers that retry it.
	retryAfter time.Duration
}

// FieldError is one entry of details.fields.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("pocket id")
	if e.Method != "" {
		fmt.Fprintf(&b, ": %s %s", e.Method, e.Path)
	}
	fmt.Fprintf(&b, ": %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; field %s", f.Field)
		if f.Code != "" {
			fmt.Fprintf(&b, " (%s)", f.Code)
		}
		if f.Message != "" {
			fmt.Fprintf(&b, ": %s", f.Message)
		}
	}
	if e.Resource != "" {
		fmt.Fprintf(&b, "; resource %s", e.Resource)
	}
	if e.Property != "" {
		fmt.Fprintf(&b, "; property %s", e.Property)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request_id %s)", e.RequestID)
	}
	return b.String()
}

// Field returns the first offending field, or "".
func (e *APIError) Field() string {
	if len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

// errorBody covers the v2.13+ body, the pre-2.13 {"error": "..."} body and the OAuth body of the
// token endpoint, which all share the "error" key.
type errorBody struct {
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Code             string          `json:"code"`
	RequestID        string          `json:"request_id"`
	Details          json.RawMessage `json:"details"`
}

type errorDetails struct {
	Fields   []FieldError `json:"fields"`
	Resource string       `json:"resource"`
	Property string       `json:"property"`
}

// DecodeAPIError turns an error answer into an APIError. It never fails: a body that is not one
// of Pocket ID's shapes becomes the (shortened) message, so a proxy's error page still says
// something useful.
func DecodeAPIError(status int, header http.Header, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	if header != nil {
		e.RequestID = header.Get("X-Request-Id")
	}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil || (eb.Error == nil && eb.Code == "") {
		e.Message = shorten(strings.TrimSpace(string(body)))
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
		return e
	}
	var msg string
	if len(eb.Error) > 0 && json.Unmarshal(eb.Error, &msg) != nil {
		// Not a string: keep the raw JSON rather than losing it.
		msg = string(eb.Error)
	}
	e.Code = eb.Code
	e.Message = shorten(msg)
	if eb.RequestID != "" {
		e.RequestID = eb.RequestID
	}
	if eb.ErrorDescription != "" {
		// OAuth shape: "error" is the code, the description is the human text.
		if e.Code == "" {
			e.Code = msg
		}
		e.Message = shorten(eb.ErrorDescription)
	} else if e.Code == "" && status == http.StatusUnauthorized && msg == CodeInvalidClient {
		e.Code = CodeInvalidClient
	}
	if len(eb.Details) > 0 && string(eb.Details) != "null" {
		e.Details = append(json.RawMessage(nil), eb.Details...)
		var d errorDetails
		if json.Unmarshal(eb.Details, &d) == nil {
			e.Fields = d.Fields
			e.Resource = d.Resource
			e.Property = d.Property
		}
	}
	return e
}

func shorten(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound
}

// HasCode reports whether err is an APIError with the given code.
func HasCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}

// StatusCode returns the HTTP status of an APIError, or 0.
func StatusCode(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}
