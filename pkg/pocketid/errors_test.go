package pocketid

import (
	"net/http"
	"strings"
	"testing"
)

func TestDecodeAPIError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   APIError
		text   string
	}{
		{
			name: "v2.13 validation", status: 400,
			body: `{"error":"Validation failed","code":"validation_failed","request_id":"r-1","details":{"fields":[{"field":"callbackURLs[0]","code":"callback_url_pattern","message":"must have a scheme"}]}}`,
			want: APIError{StatusCode: 400, Code: "validation_failed", Message: "Validation failed", RequestID: "r-1",
				Fields: []FieldError{{Field: "callbackURLs[0]", Code: "callback_url_pattern", Message: "must have a scheme"}}},
			text: "pocket id: 400 validation_failed: Validation failed; field callbackURLs[0] (callback_url_pattern): must have a scheme (request_id r-1)",
		},
		{
			name: "not found with resource", status: 404,
			body: `{"error":"OIDC client not found","code":"not_found","request_id":"r-2","details":{"resource":"OIDC client"}}`,
			want: APIError{StatusCode: 404, Code: "not_found", Message: "OIDC client not found", RequestID: "r-2", Resource: "OIDC client"},
		},
		{
			name: "conflict with property", status: 409,
			body: `{"error":"Name is already in use","code":"already_in_use","request_id":"r-3","details":{"property":"name"}}`,
			want: APIError{StatusCode: 409, Code: "already_in_use", Message: "Name is already in use", RequestID: "r-3", Property: "name"},
		},
		{
			name: "pre-2.13 body", status: 400, body: `{"error":"A client with this ID already exists"}`,
			want: APIError{StatusCode: 400, Message: "A client with this ID already exists"},
			text: "pocket id: 400: A client with this ID already exists",
		},
		{
			name: "oauth body", status: 401, body: `{"error":"invalid_client","error_description":"client authentication failed"}`,
			want: APIError{StatusCode: 401, Code: "invalid_client", Message: "client authentication failed"},
		},
		{
			name: "oauth body without description", status: 401, body: `{"error":"invalid_client"}`,
			want: APIError{StatusCode: 401, Code: "invalid_client", Message: "invalid_client"},
		},
		{
			name: "plain text", status: 404, body: "404 page not found\n",
			want: APIError{StatusCode: 404, Message: "404 page not found"},
		},
		{
			name: "empty body", status: 502, body: "",
			want: APIError{StatusCode: 502, Message: "Bad Gateway"},
		},
		{
			name: "request id header", status: 500, header: http.Header{"X-Request-Id": {"h-1"}}, body: `{"error":"boom","code":"internal_error"}`,
			want: APIError{StatusCode: 500, Code: "internal_error", Message: "boom", RequestID: "h-1"},
		},
		{
			name: "non-string error", status: 500, body: `{"error":{"nested":true},"code":"internal_error"}`,
			want: APIError{StatusCode: 500, Code: "internal_error", Message: `{"nested":true}`},
		},
		{
			name: "long html page is shortened", status: 502, body: "<html>" + strings.Repeat("x", 1000),
			want: APIError{StatusCode: 502, Message: "<html>" + strings.Repeat("x", maxMessage-6) + "..."},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DecodeAPIError(tc.status, tc.header, []byte(tc.body))
			got.Details = nil
			if got.StatusCode != tc.want.StatusCode || got.Code != tc.want.Code || got.Message != tc.want.Message ||
				got.RequestID != tc.want.RequestID || got.Resource != tc.want.Resource || got.Property != tc.want.Property ||
				len(got.Fields) != len(tc.want.Fields) || (len(got.Fields) > 0 && got.Fields[0] != tc.want.Fields[0]) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
			if tc.text != "" && got.Error() != tc.text {
				t.Errorf("Error() = %q, want %q", got.Error(), tc.text)
			}
		})
	}
}

func FuzzDecodeAPIError(f *testing.F) {
	for _, seed := range []string{
		`{"error":"Validation failed","code":"validation_failed","request_id":"r","details":{"fields":[{"field":"name","code":"required","message":"x"}]}}`,
		`{"error":"x"}`,
		`{"error":"invalid_client","error_description":"d"}`,
		`{"error":null,"details":[]}`,
		`{"code":"x","details":{"fields":"nope"}}`,
		"<html>\xff\xfe</html>",
		``,
		`[]`,
	} {
		f.Add(400, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeAPIError(status, nil, body)
		if e == nil {
			t.Fatal("nil error")
		}
		if e.StatusCode != status {
			t.Errorf("status %d, want %d", e.StatusCode, status)
		}
		if len(e.Message) > maxMessage+3 {
			t.Errorf("message of %d bytes is not shortened", len(e.Message))
		}
		_ = e.Error()
	})
}
