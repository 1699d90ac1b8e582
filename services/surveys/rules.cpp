#include "services/surveys/rules.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/text_checks.h"

namespace sportello::surveys {
namespace {

bool ValidCode(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsChoice(QuestionType t) { return t == QuestionType::kSingleChoice || t == QuestionType::kMultipleChoice; }

bool HasOption(const Question& q, std::string_view code) {
  for (const auto& o : q.options) {
    if (o.code == code) return true;
  }
  return false;
}

// Plain text a person reads: valid UTF-8, present, not too long.
void CheckText(const std::string& text, size_t max, const std::string& field, const char* what,
               std::vector<FieldViolation>& out) {
  if (text.empty()) {
    out.push_back({field, absl::StrCat(what, " è obbligatorio")});
  } else if (!ValidUtf8(text)) {
    out.push_back({field, "testo non valido (UTF-8)"});
  } else if (CodePoints(text) > max) {
    out.push_back({field, absl::StrCat("al massimo ", max, " caratteri")});
  }
}

void CheckCondition(const Survey& s, size_t index, std::vector<FieldViolation>& out) {
  const Condition& c = *s.questions[index].condition;
  std::string field = absl::StrCat("questions[", index, "].condition");
  const Question* target = nullptr;
  size_t target_index = 0;
  for (size_t j = 0; j < s.questions.size(); ++j) {
    if (s.questions[j].code == c.question) {
      target = &s.questions[j];
      target_index = j;
      break;
    }
  }
  if (target == nullptr) {
    out.push_back({field + ".question", "la condizione si riferisce a una domanda che non esiste"});
    return;
  }
  if (target_index >= index) {
    out.push_back({field + ".question", "la condizione può riferirsi solo a una domanda precedente"});
    return;
  }
  switch (c.op) {
    case ConditionOp::kBelow:
    case ConditionOp::kAtLeast:
      if (target->type != QuestionType::kScale) {
        out.push_back({field + ".op", "\"sotto\" e \"almeno\" valgono solo per le domande a scala"});
      } else if (c.value < target->scale_min || c.value > target->scale_max) {
        out.push_back({field + ".value", "il valore è fuori dalla scala della domanda"});
      }
      break;
    case ConditionOp::kIn:
    case ConditionOp::kNotIn:
      if (c.codes.empty()) {
        out.push_back({field + ".codes", "indicare almeno un valore"});
      } else if (target->type == QuestionType::kText) {
        out.push_back({field + ".op", "una condizione non può riferirsi a una risposta libera"});
      } else {
        for (const auto& code : c.codes) {
          int v = 0;
          bool ok = target->type == QuestionType::kScale
                        ? absl::SimpleAtoi(code, &v) && v >= target->scale_min && v <= target->scale_max
                        : HasOption(*target, code);
          if (!ok) {
            out.push_back({field + ".codes", "valore non previsto dalla domanda: " + code});
            break;
          }
        }
      }
      break;
  }
}

void CheckQuestion(const Survey& s, size_t i, std::set<std::string>& codes, std::vector<FieldViolation>& out) {
  const Question& q = s.questions[i];
  std::string field = absl::StrCat("questions[", i, "]");
  if (!ValidCode(q.code)) {
    out.push_back({field + ".code", "codice obbligatorio: lettere minuscole, cifre e _, al massimo 40"});
  } else if (!codes.insert(q.code).second) {
    out.push_back({field + ".code", "codice ripetuto: " + q.code});
  }
  CheckText(q.text, 500, field + ".text", "il testo della domanda", out);
  if (IsChoice(q.type)) {
    if (q.options.size() < 2 || q.options.size() > static_cast<size_t>(kMaxOptions)) {
      out.push_back({field + ".options", absl::StrCat("da 2 a ", kMaxOptions, " opzioni")});
    }
    std::set<std::string> option_codes;
    for (size_t k = 0; k < q.options.size(); ++k) {
      std::string of = absl::StrCat(field, ".options[", k, "]");
      if (!ValidCode(q.options[k].code)) {
        out.push_back({of + ".code", "codice obbligatorio: lettere minuscole, cifre e _, al massimo 40"});
      } else if (!option_codes.insert(q.options[k].code).second) {
        out.push_back({of + ".code", "codice ripetuto: " + q.options[k].code});
      }
      CheckText(q.options[k].label, 200, of + ".label", "il testo dell'opzione", out);
    }
  } else if (!q.options.empty()) {
    out.push_back({field + ".options", "solo le domande a scelta hanno opzioni"});
  }
  if (q.type == QuestionType::kScale) {
    if (q.scale_min < 0 || q.scale_max > 10 || q.scale_min >= q.scale_max) {
      out.push_back({field + ".scale_max", "la scala va da un minimo a un massimo maggiore, entro 0..10"});
    } else if (!q.labels.empty() && q.labels.size() != static_cast<size_t>(q.scale_max - q.scale_min + 1)) {
      out.push_back({field + ".labels", "un'etichetta per ogni valore della scala, o nessuna"});
    }
    for (size_t k = 0; k < q.labels.size(); ++k) {
      if (q.labels[k].empty()) continue;  // a value may go without a label
      CheckText(q.labels[k], 100, absl::StrCat(field, ".labels[", k, "]"), "l'etichetta", out);
    }
  }
  if (q.type == QuestionType::kText) {
    if (q.max_length < 1 || q.max_length > kMaxTextLength) {
      out.push_back({field + ".max_length", absl::StrCat("lunghezza massima da 1 a ", kMaxTextLength)});
    }
  } else if (q.max_length != 0) {
    out.push_back({field + ".max_length", "solo le domande a risposta libera hanno una lunghezza massima"});
  }
  if (q.condition) CheckCondition(s, i, out);
}

const Answer* FindAnswer(const std::vector<const Answer*>& by_question, const Survey& s, const std::string& code) {
  for (size_t j = 0; j < s.questions.size(); ++j) {
    if (s.questions[j].code == code) return by_question[j];
  }
  return nullptr;
}

}  // namespace

absl::Status ValidateSurvey(const Survey& s) {
  std::vector<FieldViolation> out;
  CheckText(s.title, 200, "title", "il titolo", out);
  if (!s.description.empty()) {
    if (!ValidUtf8(s.description)) {
      out.push_back({"description", "testo non valido (UTF-8)"});
    } else if (CodePoints(s.description) > 2000) {
      out.push_back({"description", "al massimo 2000 caratteri"});
    }
  }
  if (s.questions.size() > static_cast<size_t>(kMaxQuestions)) {
    out.push_back({"questions", absl::StrCat("al massimo ", kMaxQuestions, " domande")});
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < s.questions.size() && i < static_cast<size_t>(kMaxQuestions); ++i) {
    CheckQuestion(s, i, codes, out);
  }
  if (!s.headline.empty()) {
    const Question* h = nullptr;
    for (const auto& q : s.questions) {
      if (q.code == s.headline) h = &q;
    }
    if (h == nullptr || h->type != QuestionType::kScale) {
      out.push_back({"headline", "la domanda principale deve essere una domanda a scala del questionario"});
    } else if (h->condition) {
      out.push_back({"headline", "la domanda principale non può dipendere da altre risposte"});
    }
  }
  if (!out.empty()) return InvalidArgument(std::move(out));
  return absl::OkStatus();
}

absl::Status CheckStatusChange(SurveyStatus from, SurveyStatus to) {
  bool ok = (from == SurveyStatus::kDraft && to == SurveyStatus::kOpen) ||
            (from == SurveyStatus::kOpen && to == SurveyStatus::kClosed) ||
            (from == SurveyStatus::kClosed && to == SurveyStatus::kOpen);
  if (ok) return absl::OkStatus();
  if (to == SurveyStatus::kDraft) return absl::FailedPreconditionError("un questionario non torna in bozza");
  if (from == to) {
    return absl::FailedPreconditionError(to == SurveyStatus::kOpen ? "il questionario è già aperto"
                                                                   : "il questionario è già chiuso");
  }
  return absl::FailedPreconditionError("un questionario in bozza non può essere chiuso");
}

bool ConditionMet(const Condition& c, const Answer* a) {
  if (a == nullptr) return false;
  auto in = [&] {
    if (a->value) {
      std::string v = std::to_string(*a->value);
      for (const auto& code : c.codes) {
        if (code == v) return true;
      }
      return false;
    }
    for (const auto& choice : a->choices) {
      for (const auto& code : c.codes) {
        if (code == choice) return true;
      }
    }
    return false;
  };
  switch (c.op) {
    case ConditionOp::kIn: return in();
    case ConditionOp::kNotIn: return (a->value || !a->choices.empty()) && !in();
    case ConditionOp::kBelow: return a->value && *a->value < c.value;
    case ConditionOp::kAtLeast: return a->value && *a->value >= c.value;
  }
  return false;
}

std::vector<bool> ShownQuestions(const Survey& s, const std::vector<Answer>& answers) {
  std::vector<const Answer*> visible(s.questions.size(), nullptr);
  std::vector<bool> shown(s.questions.size(), false);
  for (size_t j = 0; j < s.questions.size(); ++j) {
    const Question& q = s.questions[j];
    shown[j] = !q.condition || ConditionMet(*q.condition, FindAnswer(visible, s, q.condition->question));
    if (!shown[j]) continue;
    for (const auto& a : answers) {
      if (a.question == q.code) visible[j] = &a;
    }
  }
  return shown;
}

absl::StatusOr<CheckedResponse> CheckResponse(const Survey& s, const std::vector<Answer>& answers) {
  if (s.status != SurveyStatus::kOpen) {
    return absl::FailedPreconditionError(s.status == SurveyStatus::kClosed ? "il questionario è chiuso"
                                                                           : "il questionario non è ancora aperto");
  }
  std::vector<FieldViolation> out;
  // Which answer belongs to which question; unknown and repeated ones are errors.
  std::vector<const Answer*> by_question(s.questions.size(), nullptr);
  std::vector<size_t> position(s.questions.size(), 0);
  for (size_t i = 0; i < answers.size(); ++i) {
    std::string field = absl::StrCat("answers[", i, "].question");
    size_t j = 0;
    while (j < s.questions.size() && s.questions[j].code != answers[i].question) ++j;
    if (j == s.questions.size()) {
      out.push_back({field, "domanda sconosciuta: " + answers[i].question});
    } else if (by_question[j] != nullptr) {
      out.push_back({field, "domanda con più di una risposta: " + answers[i].question});
    } else {
      by_question[j] = &answers[i];
      position[j] = i;
    }
  }

  CheckedResponse result;
  result.shown.assign(s.questions.size(), false);
  // Answers to questions that were shown: conditions read only these.
  std::vector<const Answer*> visible(s.questions.size(), nullptr);
  for (size_t j = 0; j < s.questions.size(); ++j) {
    const Question& q = s.questions[j];
    bool shown = !q.condition || ConditionMet(*q.condition, FindAnswer(visible, s, q.condition->question));
    result.shown[j] = shown;
    const Answer* a = by_question[j];
    std::string field = absl::StrCat("answers[", position[j], "]");
    if (a == nullptr) {
      if (shown && q.required) out.push_back({"answers", "risposta obbligatoria mancante: " + q.code});
      continue;
    }
    if (!shown) {
      out.push_back({field, "la domanda " + q.code + " non è prevista per le risposte date"});
      continue;
    }
    bool ok = true;
    switch (q.type) {
      case QuestionType::kScale:
        if (!a->value || !a->choices.empty() || !a->text.empty()) {
          out.push_back({field + ".value", "indicare un valore della scala"});
          ok = false;
        } else if (*a->value < q.scale_min || *a->value > q.scale_max) {
          out.push_back({field + ".value", absl::StrCat("il valore deve essere tra ", q.scale_min, " e ", q.scale_max)});
          ok = false;
        }
        break;
      case QuestionType::kSingleChoice:
      case QuestionType::kMultipleChoice: {
        if (a->value || !a->text.empty() || a->choices.empty()) {
          out.push_back({field + ".choices", "indicare un'opzione"});
          ok = false;
          break;
        }
        if (q.type == QuestionType::kSingleChoice && a->choices.size() > 1) {
          out.push_back({field + ".choices", "una sola opzione"});
          ok = false;
          break;
        }
        std::set<std::string> seen;
        for (const auto& c : a->choices) {
          if (!HasOption(q, c)) {
            out.push_back({field + ".choices", "opzione sconosciuta: " + c});
            ok = false;
            break;
          }
          if (!seen.insert(c).second) {
            out.push_back({field + ".choices", "opzione ripetuta: " + c});
            ok = false;
            break;
          }
        }
        break;
      }
      case QuestionType::kText:
        if (a->value || !a->choices.empty() || a->text.empty()) {
          out.push_back({field + ".text", "scrivere una risposta"});
          ok = false;
        } else if (!ValidUtf8(a->text)) {
          out.push_back({field + ".text", "testo non valido (UTF-8)"});
          ok = false;
        } else if (CodePoints(a->text) > static_cast<size_t>(q.max_length)) {
          out.push_back({field + ".text", absl::StrCat("al massimo ", q.max_length, " caratteri")});
          ok = false;
        }
        break;
    }
    if (!ok) continue;
    visible[j] = a;
    result.answers.push_back(*a);
    if (q.code == s.headline) result.headline = a->value;
  }
  if (!out.empty()) return InvalidArgument(std::move(out));
  return result;
}

int VersionAfterChange(const Survey& current, const std::vector<Question>& questions, const std::string& headline,
                       bool has_responses) {
  bool changed = questions != current.questions || headline != current.headline;
  return changed && has_responses ? current.version + 1 : current.version;
}

std::string_view StatusName(SurveyStatus s) {
  switch (s) {
    case SurveyStatus::kDraft: return "draft";
    case SurveyStatus::kOpen: return "open";
    case SurveyStatus::kClosed: return "closed";
  }
  return "draft";
}

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kUnspecified: return "";
    case Channel::kWeb: return "web";
    case Channel::kCounter: return "counter";
    case Channel::kPhone: return "phone";
    case Channel::kApp: return "app";
    case Channel::kEmailLink: return "email_link";
  }
  return "";
}

std::string_view AccessName(Access a) { return a == Access::kAnonymous ? "anonymous" : "invitation"; }

std::string_view TypeName(QuestionType t) {
  switch (t) {
    case QuestionType::kSingleChoice: return "single_choice";
    case QuestionType::kMultipleChoice: return "multiple_choice";
    case QuestionType::kScale: return "scale";
    case QuestionType::kText: return "text";
  }
  return "";
}

std::string_view TemplateName(Template t) {
  switch (t) {
    case Template::kNone: return "";
    case Template::kStars: return "stars";
    case Template::kStarsPage: return "stars_page";
    case Template::kFaces: return "faces";
    case Template::kNps: return "nps";
    case Template::kPostResolution: return "post_resolution";
    case Template::kQuestionnaire: return "questionnaire";
  }
  return "";
}

std::optional<Channel> ChannelFromName(std::string_view n) {
  for (Channel c : {Channel::kUnspecified, Channel::kWeb, Channel::kCounter, Channel::kPhone, Channel::kApp,
                    Channel::kEmailLink}) {
    if (ChannelName(c) == n) return c;
  }
  return std::nullopt;
}

std::optional<SurveyStatus> StatusFromName(std::string_view n) {
  for (SurveyStatus s : {SurveyStatus::kDraft, SurveyStatus::kOpen, SurveyStatus::kClosed}) {
    if (StatusName(s) == n) return s;
  }
  return std::nullopt;
}

std::optional<Template> TemplateFromName(std::string_view n) {
  for (Template t : {Template::kNone, Template::kStars, Template::kStarsPage, Template::kFaces, Template::kNps,
                     Template::kPostResolution, Template::kQuestionnaire}) {
    if (TemplateName(t) == n) return t;
  }
  return std::nullopt;
}

absl::Status CheckAnswerWindow(const Survey& survey, absl::Time now) {
  if (survey.open_time && now < *survey.open_time) {
    return absl::FailedPreconditionError("la consultazione non è ancora aperta");
  }
  if (survey.close_time && now >= *survey.close_time) {
    return absl::FailedPreconditionError("la consultazione è chiusa: non accetta risposte");
  }
  return absl::OkStatus();
}

}  // namespace sportello::surveys
