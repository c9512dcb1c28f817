// The AWS side of the backends: DynamoDB tables and SES mail.
#include "app/backend.hpp"

namespace otts::app {

Result<Backend> open_dynamodb_backend(const Settings&, const Clock&) {
    return make_error(ErrorCode::usage, "the DynamoDB store is not built yet");
}

Result<std::unique_ptr<Mailer>> open_ses_mailer(const Settings&, const Clock&) {
    return make_error(ErrorCode::usage, "the SES mailer is not built yet");
}

}  // namespace otts::app
