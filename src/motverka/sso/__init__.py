"""Single sign-on: a SAML 2.0 service provider and an OpenID Connect relying party.

Both are off unless configured. Identities are matched against existing users only;
roles and units are always granted in Motverka."""
