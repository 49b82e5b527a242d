#include "notices/internal/steps.h"

#include "messaging/message.h"
#include "notices/internal/notice_rows.h"

namespace ncbnet::notices::internal {

Status Commit(store::Transaction& tx, const Keys& keys, Notice& n, const Actor& actor,
              const Step& step, std::string_view note, std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(SaveNotice(tx, keys, n, now_ms));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t seq,
                          AppendEvent(tx, n, step.action, actor, note, now_ms));
  return Tell(tx, keys, n, seq, step.what, note, step.audience, now_ms);
}

Result<const Kind*> KindOf(const Notice& n) {
  Result<const Kind*> kind = Kinds::Builtin().Find(n.kind);
  if (!kind.ok()) return Status::DataLoss("notice_corrupt", "stored notice of unknown kind");
  return kind;
}

Status CheckNote(std::string_view note, bool required) {
  if (required && note.empty()) {
    return Status::InvalidArgument("invalid_notice", "reasons are required");
  }
  if (note.size() > 4000 || !messaging::IsCleanText(note, /*multiline=*/true)) {
    return Status::InvalidArgument("invalid_notice",
                                   "reasons: at most 4000 bytes of text without control "
                                   "characters");
  }
  return Status::Ok();
}

}  // namespace ncbnet::notices::internal
