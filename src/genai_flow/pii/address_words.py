"""Vocabulary of postal addresses, for :mod:`.address`.

Street-type words come from how streets are named where the postal formats put them:

- after the name (English, German, Dutch, Nordic, Hungarian, Baltic, Turkish, Indian):
  "Elm Street", "Berliner Straße", "Fejedelem útja", "Jakobi tänav", "MG Road"; the English
  list is USPS Publication 28, appendix C1 (the suffixes US addresses use, which Faker's
  generators use too), with the Royal Mail and Australian additions ("Close", "Wynd");
- glued to the name (German, Dutch, Nordic): "Ziegelgasse", "Nassaustraat", "Aðalgata";
- before the name (French, Spanish, Portuguese, Italian, Polish, Czech, Romanian):
  "rue Descartes", "calle Mayor", "via Roma", "ul. Długa".

Types are graded: STRONG ones are almost never anything else after a capitalised name;
WEAK ones are everyday English words too ("Way", "Place", "View", "Park", "Run") and count
only with other evidence. Country names come from ``pycountry`` (ISO 3166 names in English and
the Latin-script languages that addresses are written in), plus the short names people write.
"""

from __future__ import annotations

import functools
import gettext
import unicodedata

STRONG_POST_TYPES = set(
    """street st str avenue ave av road rd boulevard blvd bd lane ln drive dr terrace terr ter
    parkway pkwy highway hwy crescent cres mews grove gardens gdns wynd expressway expy
    freeway fwy turnpike tpke motorway causeway esplanade promenade embankment broadway
    marg salai
    straße strasse allee platz gasse damm ufer gürtel chaussee
    straat laan gracht plein singel kade dijk dreef steeg
    gata gatan vägen väg gade vej veien vegen katu
    utca út útja körút krt rakpart rkp tér köz fasor sétány
    tänav maantee mnt iela gatvė cesta ulica ulice třída nábřeží náměstí
    caddesi cad sokak sokağı allé kuja polku""".split()
)
WEAK_POST_TYPES = set(
    """way place pl court ct close circle cir square sq row walk hill hills rise green park
    view point run loop path trail trl cove ridge ranch fort brook ferry trace shoal orchard
    wall village underpass overpass station center centre club harbor harbour haven heights
    lake landing manor meadow mill mission mount oval pass pike plaza port prairie river
    route shore spring spur stream summit track valley vista well bridge branch bypass camp
    canyon cape cliff common corner course creek crest crossing curve dale dam divide estate
    extension falls field fork forge glen hollow inlet island isle junction key knoll light
    lock lodge mall neck pine plain radial ramp rapid rest skyway stravenue throughway
    tunnel union viaduct ville parade quay wharf yard vale chase drove croft approach circus
    circuit glade outlook retreat grange nook ronde boulevarde nagar layout chowk gali colony
    ganj bagh pur zila corso tie
    basin amble anchorage arcade brae brow byway concourse copse courtyard crossway dell
    driveway fairway foreshore gully highroad laneway parklands pathway piazza quadrant
    ridgeway riverway riviera roadway rotary strand thoroughfare tollway tor villas walkway
    ring weg gate annex bayou beach bend bluff bottom burg ford forest passage""".split()
)
# plural forms of the English suffixes ("Rogers Brooks", "Morris Views", "Short Streets")
WEAK_POST_TYPES |= {t + "s" for t in WEAK_POST_TYPES | STRONG_POST_TYPES
                    if t.isascii() and t.isalpha() and len(t) > 2 and not t.endswith("s")}
STRONG_PRE_TYPES = set(
    """rue avenue avda avenida boulevard bd bld blvd allée chemin impasse quai cours
    calle carrer carretera paseo passeig camino carrera rambla ronda glorieta callejón
    travesía urbanización rua travessa largo praça alameda estrada viale piazza piazzale
    corso vicolo strada contrada borgo rotonda ulica ul aleja plac osiedle ulice náměstí třída
    bulevardul calea soseaua șoseaua aleea intrarea drumul piața piata splaiul
    montée cuesta cañada pasaje pasadizo acceso cerrada privada calzada andador circuito
    prolongación retorno ampliación periférico
    chácara colônia condomínio ladeira loteamento quadra rodovia trecho vereda viela passarela
    corredor cesta canale incrocio stretto""".split()
)
WEAK_PRE_TYPES = set(
    "via vía vial place route plaza square al str av pl r rang sector diagonal vila setor "
    "jardim parque conjunto".split()
)
# Endings of glued street names ("Ziegelgasse", "Bahnhofstr.", "Jelteboulevard"); the
# word must be at least two letters longer than the ending.
GLUED_TYPES = (
    "straße", "strasse", "str", "gasse", "weg", "allee", "platz", "damm", "ufer", "steig",
    "pfad", "stieg", "chaussee", "gürtel", "zeile", "straat", "laan", "gracht", "plein",
    "singel", "kade", "dijk", "dreef", "steeg", "baan", "boulevard", "gata", "gatan", "vägen",
    "gränd", "torget", "gade", "vej", "stræde", "veien", "vegen", "vei", "gaten", "stien",
    "svingen", "bakken", "alléen", "plassen", "katu", "polku", "kuja", "väylä", "tänav",
    "iela", "utca", "lei", "bulevardi",
)
# Glued endings that English words share ("Spring 2024", "string 5"): a weak type.
WEAK_GLUED_TYPES = ("ring", "pad", "hof", "gate", "tie")
NOT_GLUED = {"brigade", "renegade", "arcade", "escapade", "cascade", "barricade"}
# "Helen-Steuer-Ring": the last part of a hyphenated name is a street type
HYPHEN_TYPES = {"ring", "weg", "straße", "strasse", "allee", "platz", "gasse", "damm",
                "ufer", "pfad", "steig", "markt", "street", "road", "lane"}

DIRECTIONS = set("n s e w ne nw se sw north south east west".split())
UNIT_WORDS = set(
    """apt apartment suite ste unit flat floor fl level room rm bldg building block blk piso
    planta puerta interior int depto dpto edif bloque escalera esc portal appartamento
    etage étage app appt ap lgh bus box door studio house h hno bl sc et etaj scara bloc""".split()
)
# Particles that may also begin a place name ("Le Havre", "la coruña", "De Bilt").
LEADING_PARTICLES = set(
    "le la les l el los las de del della di da du des van von den der het".split()
)
# Particles inside Romance street names after the type ("Rua do Falcão", "Calle de la Paz").
NAME_PARTICLES = LEADING_PARTICLES | set("do dos das dei della d' l'".split())
# Lower-case joining words inside street and city names ("rue de la République",
# "Ústí nad Labem", "Stratford upon Avon").
PARTICLES = set(
    """de del della dei di da do dos das du des la le les l d el los las von van der den het
    ten ter te op aan am an im bei zum zur nad pod ob upon on sur sous en y i""".split()
)

# Words that are not part of a street or a city name: English function words, the
# vocabulary of support text around numbers ("step 3", "version 2", "in 5 minutes"), and
# calendar words ("March 15, 2024").
FUNCTION_WORDS = set(
    """a an the and or but nor so yet if then than of to in on at by for from with without
    about into onto over under after before since until till near as per within across
    through throughout around along behind beside between beyond inside outside toward
    towards against among during except is are was were be
    been being am do does did done have has had will would shall should can could may might
    must not no yes this that these those it its i me my mine we us our you your he him his
    she her they them their there here what which who whom whose when where why how all any
    some each every more most many much few other another such only own same too very just
    also now please thanks thank hi hello hey dear regards best cheers sincerely ok okay get
    got need needs want like know see let make use used using try tried help send sent call
    called email e-mail phone mobile fax tel telephone desk office contact via
    ''' 's""".split()
)
NOT_NAME_WORDS = FUNCTION_WORDS | set(
    """order orders invoice invoices ticket tickets account accounts version versions step
    steps page pages item items line lines field fields option options plan plans tier level
    levels chapter section sections figure table tables seat seats slot slots port ports
    server servers node nodes gate row rows column columns number numbers no nr code codes
    pin id ref reference case cases error errors issue issues question questions answer
    answers file files user users license licenses licence device devices times time minute
    minutes hour hours day days week weeks month months year years second seconds am pm
    percent dollars euros usd eur gbp inr x
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    nan""".split()
)
CALENDAR_WORDS = set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday""".split()
)
# Words that end a city part: sentence text, not a place ("Port Louis" is a place, so the
# support vocabulary of street names is not used here).
NOT_CITY_WORDS = FUNCTION_WORDS | CALENDAR_WORDS | UNIT_WORDS | set(
    """nan order invoice ticket account version step page item section error plan number
    code""".split()
)

# Country names people write that ISO 3166 spells otherwise.
COUNTRY_ALIASES = """usa;u.s.a.;u.s.;united states of america;uk;u.k.;great britain;britain;
england;scotland;wales;northern ireland;vatican city;vatican;russia;syria;laos;vietnam;
czech republic;czechia;ivory coast;macedonia;swaziland;burma;cape verde;palestine;holland;
south korea;north korea;korea;iran;taiwan;tanzania;moldova;bolivia;venezuela;brunei;
east timor;micronesia;congo;deutschland;österreich;schweiz;suisse;españa;italia;
nederland;belgië;belgique;polska;sverige;norge;danmark;suomi;magyarország;česko;
türkiye;turkey;brasil;méxico""".replace("\n", "").split(";")
# Latin-script languages whose ISO 3166 translations pycountry ships.
COUNTRY_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "nb", "fi", "cs",
                     "sk", "hu", "et", "lv", "lt", "ro", "sl", "hr", "tr", "id", "is")


@functools.lru_cache(maxsize=4096)
def fold(name: str) -> str:
    """``name`` lower-cased without accents, and repaired first when it reads like UTF-8
    bytes decoded as Latin-1 or Windows-1252 ("SÃ£o TomÃ©" -> "sao tome"), a common defect
    of exported text."""
    if "Ã" in name or "Â" in name:
        for codec in ("cp1252", "latin-1"):
            try:
                name = name.encode(codec).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
    decomposed = unicodedata.normalize("NFKD", name.replace("-", " "))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Country names (English and translated ISO 3166 names, common short names), folded
    by :func:`fold`."""
    import pycountry

    names = set(COUNTRY_ALIASES)
    english = [getattr(country, attr, None) for country in pycountry.countries
               for attr in ("name", "common_name", "official_name")]
    translated = []
    for language in COUNTRY_LANGUAGES:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:
            continue
        translated += [translation.gettext(country.name) for country in pycountry.countries]
    for value in english + translated:
        if value:
            names.add(value)
            names.add(value.split(", ")[0])  # "Bolivia, Plurinational State of"
            names.add(value.split(" (")[0])  # "Holy See (Vatican City State)"
    return frozenset(fold(name.strip()) for name in names if len(name.strip()) > 2
                     or name.strip().lower() == "uk")


MAX_COUNTRY_WORDS = 8
