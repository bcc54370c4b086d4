package v1alpha1

import "testing"

func TestValidateCallbackURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://immich.example.com/auth/login", true},
		{"https://immich.${SECRET_DOMAIN}/auth/login", true},
		{"app.immich:///oauth-callback", true},
		{"http://localhost/cb", true},
		{"https://*.example.com/**", true},
		{"*", true},
		{"immich.example.com/cb", false},
		{"/auth/login", false},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{"data:text/html,x", false},
		{"", false},
		{"https://a b", false},
		{"https:", false},
	} {
		err := ValidateCallbackURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateCallbackURL(%q) = %v, want ok=%v", tc.url, err, tc.ok)
		}
	}
}
