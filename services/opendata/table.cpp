#include "services/opendata/table.h"

#include <boost/json.hpp>
#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace sportello::opendata {

const std::vector<DatasetKind>& DatasetKinds() {
  static const std::vector<DatasetKind> kKinds = {
      {"servizi", "Servizi al cittadino",
       "Le schede dei servizi dell'ente: nome, descrizione breve, temi, canali, livello di interattività, "
       "termini di legge e ufficio responsabile.",
       {"servizi", "urp", "carta dei servizi"}, "GOVE", "MONTHLY", false},
      {"uffici", "Uffici e orari di apertura",
       "Gli uffici dell'ente con indirizzo, contatti istituzionali, posizione e orari settimanali.",
       {"uffici", "orari", "urp"}, "GOVE", "MONTHLY", false},
      {"richieste-mensili", "Richieste all'URP per mese",
       "Numero di reclami, segnalazioni, suggerimenti, elogi e richieste ricevuti per mese, per tipo, "
       "categoria, canale e stato, con i tempi mediani di prima risposta e di chiusura. Conteggi inferiori "
       "a 3 oscurati.",
       {"reclami", "segnalazioni", "urp", "statistiche"}, "GOVE", "MONTHLY", false},
      {"richieste-pubbliche", "Segnalazioni pubbliche",
       "Le richieste che i cittadini hanno reso pubbliche, una per riga: tipo, categoria, stato, date, "
       "ufficio e posizione approssimata (griglia di 250 m o 1 km). Nessun testo libero.",
       {"segnalazioni", "urp"}, "GOVE", "DAILY", false},
      {"registro-accessi", "Registro degli accessi",
       "Il registro delle richieste di accesso civico generalizzato (FOIA): oggetto, date ed esito, "
       "pubblicato ogni semestre dopo l'approvazione di un operatore.",
       {"accesso civico", "foia", "trasparenza"}, "GOVE", "ANNUAL_2", true},
      {"pubblicazioni-proattive", "Pubblicazioni proattive",
       "Gli oggetti del registro degli accessi chiesti da più di tre richiedenti in un anno, con "
       "l'indirizzo del documento una volta pubblicato.",
       {"accesso civico", "trasparenza"}, "GOVE", "ANNUAL_2", false},
      {"soddisfazione", "Indici di soddisfazione",
       "Gli indici dei questionari di soddisfazione pubblicati dall'ente, per mese, per servizio e per "
       "canale: numero di risposte, media del punteggio principale, quota di soddisfatti e NPS. Gruppi con "
       "meno risposte della soglia oscurati.",
       {"soddisfazione", "customer satisfaction", "urp", "qualità"}, "GOVE", "MONTHLY", false},
  };
  return kKinds;
}

const DatasetKind* FindKind(std::string_view slug) {
  for (const auto& k : DatasetKinds()) {
    if (k.slug == slug) return &k;
  }
  return nullptr;
}

std::string DatasetTitle(std::string_view id, std::string_view slug, std::string_view tenant_name) {
  const DatasetKind* kind = FindKind(slug);
  return kind ? kind->title + " - " + std::string(tenant_name) : std::string(id);
}

std::string DatasetId(std::string_view tenant, std::string_view slug) { return std::string(tenant) + "-" + std::string(slug); }

std::optional<ParsedId> ParseDatasetId(std::string_view id) {
  for (const auto& k : DatasetKinds()) {
    const std::string suffix = "-" + k.slug;
    if (id.size() > suffix.size() && id.substr(id.size() - suffix.size()) == suffix) {
      std::string tenant(id.substr(0, id.size() - suffix.size()));
      for (char c : tenant) {
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
          return std::nullopt;
        }
      }
      return ParsedId{tenant, k.slug};
    }
  }
  return std::nullopt;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvHeader(const std::vector<std::string>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) absl::StrAppend(&out, i ? "," : "", CsvField(columns[i]));
  return out + "\r\n";
}

namespace {
std::string NumberText(double d) {
  std::string s = absl::StrFormat("%.6f", d);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

std::vector<RenderedRow> Render(const Table& table) {
  std::vector<RenderedRow> out;
  out.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    RenderedRow r;
    boost::json::object obj;
    for (size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
      const Value& v = row[i];
      if (i) r.csv += ',';
      switch (v.type) {
        case Value::Type::kNull: obj[table.columns[i]] = nullptr; break;
        case Value::Type::kText:
          r.csv += CsvField(v.text);
          obj[table.columns[i]] = v.text;
          break;
        case Value::Type::kInt:
          r.csv += std::to_string(v.integer);
          obj[table.columns[i]] = v.integer;
          break;
        case Value::Type::kNumber: {
          std::string t = NumberText(v.number);
          r.csv += t;
          obj[table.columns[i]] = boost::json::parse(t);
          break;
        }
      }
    }
    r.csv += "\r\n";
    r.json = boost::json::serialize(obj);
    out.push_back(std::move(r));
  }
  return out;
}

Framing CsvFraming(const std::vector<std::string>& columns) {
  std::string header = CsvHeader(columns);
  return {header, "", "", header};
}

Framing JsonFraming() { return {"[\n", ",\n", "\n]\n", "[]\n"}; }

Digest DigestOf(const std::vector<RenderedRow>& rows, const Framing& framing, bool json) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  Digest d;
  auto feed = [&](std::string_view s) {
    EVP_DigestUpdate(ctx, s.data(), s.size());
    d.bytes += static_cast<int64_t>(s.size());
  };
  if (rows.empty()) {
    feed(framing.empty);
  } else {
    feed(framing.prefix);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i) feed(framing.separator);
      feed(json ? rows[i].json : rows[i].csv);
    }
    feed(framing.suffix);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  for (unsigned i = 0; i < len; ++i) d.sha256 += absl::StrFormat("%02x", md[i]);
  return d;
}

std::string UnescapeCopyText(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c != '\\' || i + 1 >= line.size()) {
      out += c;
      continue;
    }
    char n = line[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        int v = 0, digits = 0;
        while (digits < 2 && i + 1 < line.size() && std::isxdigit(static_cast<unsigned char>(line[i + 1]))) {
          char h = line[++i];
          v = v * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
          ++digits;
        }
        out += static_cast<char>(v);
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          int v = n - '0', digits = 1;
          while (digits < 3 && i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '7') {
            v = v * 8 + (line[++i] - '0');
            ++digits;
          }
          out += static_cast<char>(v);
        } else {
          out += n;  // "\\" and any other escaped character stand for themselves
        }
    }
  }
  return out;
}

}  // namespace sportello::opendata
