#include "services/surveys/templates.h"

namespace sportello::surveys {
namespace {

Question Scale(std::string code, std::string text, int min, int max, std::vector<std::string> labels) {
  Question q;
  q.code = std::move(code);
  q.type = QuestionType::kScale;
  q.text = std::move(text);
  q.required = true;
  q.scale_min = min;
  q.scale_max = max;
  q.labels = std::move(labels);
  return q;
}

Question Choice(std::string code, std::string text, std::vector<Option> options, std::optional<Condition> when) {
  Question q;
  q.code = std::move(code);
  q.type = QuestionType::kSingleChoice;
  q.text = std::move(text);
  q.options = std::move(options);
  q.condition = std::move(when);
  return q;
}

Question Text(std::string code, std::string text, int max_length) {
  Question q;
  q.code = std::move(code);
  q.type = QuestionType::kText;
  q.text = std::move(text);
  q.max_length = max_length;
  return q;
}

Condition Below(std::string question, int value) { return {std::move(question), ConditionOp::kBelow, {}, value}; }
Condition AtLeast(std::string question, int value) {
  return {std::move(question), ConditionOp::kAtLeast, {}, value};
}

// Designers Italia, "Valutazione" of the municipal website model.
void Stars(Survey& s, std::string question) {
  s.questions.push_back(Scale("rating", std::move(question), 1, 5, {}));
  s.questions.push_back(Choice("difficulties", "Dove hai incontrato le maggiori difficoltà?",
                               {{"not_clear", "A volte le indicazioni non erano chiare"},
                                {"not_complete", "A volte le indicazioni non erano complete"},
                                {"not_sure", "A volte non capivo se stavo procedendo correttamente"},
                                {"technical", "Ho avuto problemi tecnici"},
                                {"other", "Altro"}},
                               Below("rating", 4)));
  s.questions.push_back(Choice("liked", "Quali sono stati gli aspetti che hai preferito?",
                               {{"clear", "Le indicazioni erano chiare"},
                                {"complete", "Le indicazioni erano complete"},
                                {"sure", "Capivo sempre che stavo procedendo correttamente"},
                                {"no_technical", "Non ho avuto problemi tecnici"},
                                {"other", "Altro"}},
                               AtLeast("rating", 4)));
  s.questions.push_back(Text("details", "Vuoi aggiungere altri dettagli?", 200));
  s.headline = "rating";
}

}  // namespace

Survey FromTemplate(Template t) {
  Survey s;
  s.template_kind = t;
  switch (t) {
    case Template::kNone:
    case Template::kQuestionnaire:
      s.title = "Questionario";
      break;
    case Template::kStars:
      s.title = "Valutazione della procedura";
      Stars(s, "Quanto è stato facile per te concludere questa procedura?");
      break;
    case Template::kStarsPage:
      s.title = "Valutazione della pagina";
      Stars(s, "Quanto sono chiare le informazioni su questa pagina?");
      break;
    case Template::kFaces:
      s.title = "Mettiamoci la faccia";
      s.questions.push_back(Scale("face", "Come giudichi il servizio che hai ricevuto?", 1, 3,
                                  {"Faccina rossa: negativo", "Faccina gialla: sufficiente",
                                   "Faccina verde: positivo"}));
      s.questions.push_back(Choice("reasons", "Per quale motivo non sei soddisfatto?",
                                   {{"waiting_time", "Tempo di attesa"},
                                    {"staff_courtesy", "Cortesia del personale"},
                                    {"staff_competence", "Competenza del personale"},
                                    {"information", "Chiarezza delle informazioni"},
                                    {"other", "Altro"}},
                                   Below("face", 2)));
      s.headline = "face";
      break;
    case Template::kNps:
      s.title = "Consiglieresti questo servizio?";
      s.questions.push_back(Scale(
          "recommend", "Quanto è probabile che tu consigli questo servizio a un amico o a un familiare?", 0, 10,
          {"Per niente probabile", "", "", "", "", "", "", "", "", "", "Estremamente probabile"}));
      s.questions.push_back(Text("why", "Perché?", 500));
      s.headline = "recommend";
      break;
    case Template::kPostResolution:
      s.title = "La tua richiesta è stata gestita bene?";
      s.questions.push_back(Choice("solved", "La tua richiesta è stata risolta?",
                                   {{"yes", "Sì"}, {"partly", "In parte"}, {"no", "No"}}, std::nullopt));
      s.questions.back().required = true;
      s.questions.push_back(Scale("handling", "Come valuti la gestione della tua richiesta?", 1, 5,
                                  {"Pessima", "Scarsa", "Sufficiente", "Buona", "Ottima"}));
      s.questions.push_back(Text("comment", "Vuoi lasciarci un commento?", 500));
      s.headline = "handling";
      break;
  }
  return s;
}

}  // namespace sportello::surveys
