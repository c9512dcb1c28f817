#!/usr/bin/env bash
# deploy/template.yaml parses as YAML (with CloudFormation's short tags) and says what the
# bootstrap expects: provided.al2023 on x86_64 with the zip lambda_zip builds, payload 2.0 HTTP
# routes, the three WebSocket routes, the tables with their keys and TTL attributes, the
# environment the Lambda stack reads (S2's off by default), and the IAM policies. Skipped
# without PyYAML.
source "$(dirname "$0")/lib.sh"

TEMPLATE="$OTTS_SOURCE_DIR/deploy/template.yaml"
if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then
    [ "${CI:-}" = true ] && { fail "python3 has no yaml module (Debian's python3-yaml)"; finish; }
    echo "skipped: python3 has no yaml module"
    exit 0
fi

"$PYTHON" - "$TEMPLATE" >"$WORK/checks" 2>"$WORK/err" <<'EOF' || fail "template checks crashed: $(cat "$WORK/err")"
import sys
import yaml

class Loader(yaml.SafeLoader):
    pass

# !Ref, !Sub, !GetAtt ... become {"Fn": [args]} so the structure can be inspected.
def tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix: value}

Loader.add_multi_constructor("!", tag)
t = yaml.load(open(sys.argv[1]), Loader=Loader)
r = t["Resources"]

def check(what, ok):
    print(("ok: " if ok else "FAIL: ") + what)

check("a SAM template", t.get("Transform") == "AWS::Serverless-2016-10-31")
fn = r["OttsFunction"]["Properties"]
glob = t["Globals"]["Function"]
check("runtime provided.al2023", glob["Runtime"] == "provided.al2023")
check("x86_64", glob["Architectures"] == ["x86_64"])
check("handler bootstrap", fn["Handler"] == "bootstrap")
check("code is the lambda_zip package", fn["CodeUri"].endswith("lambda/otts-lambda.zip"))
env = fn["Environment"]["Variables"]
for name in ["JWT_SECRET", "LICENSE_PUBLIC_KEY", "OTTS_AUTH_TOKEN_KEY", "SES_FROM_EMAIL", "SES_CONFIGURATION_SET",
             "TOKEN_TABLE", "PINS_TABLE", "CONNECTIONS_TABLE", "DYNAMODB_TABLE", "SECRETS_TABLE", "OTTS_STORE"]:
    check("environment has " + name, name in env)
check("JWT_SECRET from an SSM parameter", "resolve:ssm:" in str(env["JWT_SECRET"]))
check("OTTS_STORE is dynamodb", env["OTTS_STORE"] == "dynamodb")

# S2, the token handler: optional parameters (empty default = off), the secret NoEcho.
params = t["Parameters"]
for param, var in [("CognitoUserPoolId", "COGNITO_USER_POOL_ID"), ("CognitoClientId", "COGNITO_CLIENT_ID"),
                   ("CognitoDomain", "COGNITO_DOMAIN"), ("FrontendUrl", "FRONTEND_URL"),
                   ("SessionSecret", "SESSION_SECRET")]:
    check("parameter %s is optional (empty default: S2 off)" % param,
          param in params and params[param].get("Default") == "" and params[param].get("Type") == "String")
    check("%s from parameter %s" % (var, param), env.get(var) == {"Ref": param})
check("SessionSecret is NoEcho", params["SessionSecret"].get("NoEcho") is True)
check("COGNITO_REGION is the stack's region", env.get("COGNITO_REGION") == {"Ref": "AWS::Region"})
check("SESSION_HTTPS_ONLY behind API Gateway", env.get("SESSION_HTTPS_ONLY") == "true")
check("every other parameter is used", all({"Ref": p} in env.values() or "${%s}" % p in str(env) for p in params))

def table(name, key, ttl):
    p = r[name]["Properties"]
    check(name + " key " + key, p["KeySchema"] == [{"AttributeName": key, "KeyType": "HASH"}])
    check(name + " TTL on " + ttl, p["TimeToLiveSpecification"] == {"AttributeName": ttl, "Enabled": True})
    check(name + " referenced by the environment", {"Ref": name} in env.values())

table("TokenTable", "uuid", "expiry")
table("PinsTable", "email", "expires_at")
table("ConnectionsTable", "connectionId", "ttl")
table("SessionsTable", "session_id", "ttl")
table("SecretsTable", "id", "expiresAt")

crud = [p["DynamoDBCrudPolicy"]["TableName"] for p in fn["Policies"] if "DynamoDBCrudPolicy" in p]
check("DynamoDBCrudPolicy for each table", sorted(c["Ref"] for c in crud) == ["ConnectionsTable", "PinsTable", "SecretsTable", "SessionsTable", "TokenTable"])
ses = [s for p in fn["Policies"] if "Statement" in p for s in p["Statement"]]
check("ses:SendEmail allowed", any("ses:SendEmail" in s["Action"] for s in ses))
manage = [s for s in ses if "execute-api:ManageConnections" in s["Action"]]
check("execute-api:ManageConnections allowed", len(manage) == 1)
check("ManageConnections only on the WebSocket stage's POST /@connections",
      bool(manage) and "${WebSocketApi}/prod/POST/@connections/*" in str(manage[0]["Resource"]))
stage = r["WebSocketStage"]["Properties"]["StageName"]
check("WEBSOCKET_API_ENDPOINT is the WebSocket stage's https URL",
      env.get("WEBSOCKET_API_ENDPOINT") ==
      {"Sub": "https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + stage})

events = fn["Events"].values()
check("HTTP API routes use payload 2.0", all(e["Properties"]["PayloadFormatVersion"] == "2.0" for e in events))
check("HTTP API serves / and /{proxy+} (so /auth/* and /health)",
      sorted(e["Properties"]["Path"] for e in events) == ["/", "/{proxy+}"] and
      all(e["Properties"]["Method"] == "ANY" for e in events))
check("WebSocket API", r["WebSocketApi"]["Properties"]["ProtocolType"] == "WEBSOCKET")
routes = sorted(v["Properties"]["RouteKey"] for v in r.values() if v["Type"] == "AWS::ApiGatewayV2::Route")
check("WebSocket routes $connect, $default, $disconnect", routes == ["$connect", "$default", "$disconnect"])
check("API Gateway may invoke the function", r["WebSocketInvokePermission"]["Properties"]["Principal"] == "apigateway.amazonaws.com")
EOF

while read -r line; do
    case $line in
        ok:*) pass "${line#ok: }" ;;
        FAIL:*) fail "${line#FAIL: }" ;;
    esac
done <"$WORK/checks"
[ -s "$WORK/checks" ] || fail "no checks ran"
finish
