#!/bin/sh
# The Lambda entry point (provided.al2023 runs ./bootstrap). Starts the real bootstrap with the
# libraries it was built against, through their own loader: AL2023's glibc and libstdc++ are
# older than the build's (see lambda/packaging.cmake).
here=$(cd "$(dirname "$0")" && pwd)
# Debian's OpenSSL looks for CA certificates where Debian keeps them; AL2023 keeps them here.
if [ -z "${SSL_CERT_FILE:-}" ] && [ -r /etc/pki/tls/certs/ca-bundle.crt ]; then
    SSL_CERT_FILE=/etc/pki/tls/certs/ca-bundle.crt
    export SSL_CERT_FILE
fi
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib" "$here/bin/bootstrap" "$@"
