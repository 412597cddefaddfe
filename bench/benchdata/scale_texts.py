"""Dutch content for ``scale_seed``, in the voice of the demo (``manage.py demo``)."""

ACTIVITIES = ("Moestuin", "Repair Café", "Taalcafé", "Buurtfeest", "Kookclub", "Huiswerkklas",
              "Wandelgroep", "Boekenruil", "Klussendienst", "Muziekmiddag", "Speeltuin",
              "Fietsenwerkplaats", "Ontmoetingsochtend", "Zwerfafvalploeg", "Buurtkrant")  # fmt: skip
PLACES = ("op het plein", "in de bibliotheek", "in het buurthuis", "in de wijk", "bij de school",
          "in het park", "aan de haven", "voor ouderen", "voor nieuwkomers")  # fmt: skip
AREAS = ("Amsterdam-Oost", "Rotterdam-Zuid", "Utrecht-Overvecht", "Den Haag-Transvaal",
         "Groningen-Noord", "Zwolle", "Tilburg-West", "Arnhem-Presikhaaf", "Leeuwarden",
         "Maastricht-Noordoost", "Deventer", "Almere-Haven", "Enschede-Zuid", "Nijmegen-Oost")  # fmt: skip
REGIONS = ("Amsterdam", "Rotterdam", "Utrecht", "Groningen", "Friesland", "Limburg",
           "Gelderland", "Overijssel", "landelijk")  # fmt: skip
FUND_KINDS = ("Buurtfonds", "Stichting Initiatief", "Fonds Samen", "Oranje Buurtfonds")
PROGRAMME_TITLES = ("Samen in de buurt", "Groen doen", "Iedereen doet mee", "Ontmoeten")
NETWORK_KINDS = ("Buurtmoestuin", "Repair Café", "Taalcafé", "Bewonersgroep", "Kookcollectief",
                 "Buurtkracht", "Samen Sterk", "Vrijwilligers")  # fmt: skip
THEMES = ("Buurt", "Groen", "Ontmoeting", "Cultuur", "Duurzaamheid", "Jeugd", "Ouderen", "Taal")
FIRST_NAMES = ("Anna", "Bram", "Chris", "Dewi", "Eva", "Floor", "Gijs", "Hanna", "Ilse", "Jeroen",
               "Kees", "Lotte", "Mohamed", "Noor", "Priya", "Ruben", "Sanne", "Yara")  # fmt: skip
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder", "de Boer", "Yilmaz",
              "Pranoto", "Hendriks", "Bos", "El Amrani", "Dekker", "van Dijk")  # fmt: skip
TEXTS = {
    "what": ("We willen een vaste plek maken: {title}.", "Elke week een middag, open voor iedereen.",
             "We beginnen klein, met de straat, en groeien daarna."),
    "why": ("In de buurt kennen mensen elkaar nauwelijks.", "Er is geen plek waar jong en oud "
            "elkaar ontmoeten.", "Veel bewoners zitten alleen thuis, zeker in de winter."),
    "for_whom": ("Alle bewoners, jong en oud.", "Ouderen in de wijk en hun buren.",
                 "Kinderen en hun ouders uit de straat."),
    "goal": ("Meer contact tussen buren.", "Dat bewoners elkaar weten te vinden als er iets is."),
    "audience": ("Bewoners die nu weinig buiten komen.", "Nieuwkomers in de wijk."),
    "method": ("Elke week een vaste ochtend, open voor iedereen.",
               "We werken met een rooster van vrijwilligers."),
    "coordination": ("We overleggen met het gebiedsteam van de gemeente.",
                     "De buurtcoach en de bibliotheek denken mee."),
    "agreements": ("De twee coördinatoren beslissen samen en tekenen allebei.",
                   "We beslissen in een maandelijks overleg; de penningmeester houdt de kas bij."),
    "earning_model": ("Deelnemers geven een vrijwillige bijdrage.",
                      "We verkopen zelfgemaakte jam op de markt."),
    "explanation": ("Twee leden tekenen namens het netwerk.", "Het buurthuis beheert het geld."),
}  # fmt: skip
GENERIC_TEXTS = (
    "Zie onze toelichting bij de vorige vraag.",
    "Dat vertellen we graag in een gesprek.",
)
BUDGET_ITEMS = ("Materiaal", "Huur van de zaal", "Koffie en thee", "Gereedschap",
                "Drukwerk en flyers", "Vervoer van spullen", "Zaden en planten")  # fmt: skip
FUNDING = (("own_contribution", "Eigen bijdrage van deelnemers"), ("crowdfunding", "Buurtcrowdfunding"),
           ("business", "Bijdrage van de buurtsuper"), ("other_fund", "Initiatievenfonds gemeente"))  # fmt: skip
CHANGE_REQUESTS = ("Kunt u dit concreter maken? Wie doet wat, en wanneer?",
                   "Met wie bij de gemeente heeft u al contact? Noem een naam als dat kan.",
                   "Hoeveel bewoners verwacht u ongeveer?",
                   "Wie tekent er namens het netwerk? Noem twee namen.")  # fmt: skip
REPLIES = ("Aangepast, zie de nieuwe versie.", "Goede vraag: we hebben het toegevoegd.")
OFFICER_NOTES = ("Mooi plan, ga zo door.", "Helder, dank u wel.", "Denk ook aan de verzekering.")
DECLINES = (
    ("Dit plan past niet binnen deze regeling: wij steunen activiteiten, geen vaste kosten.",
     "Vraag de ideeënmakelaar van de gemeente naar het budget voor bewonersinitiatieven."),
    ("Het budget van deze ronde is op voor projecten zoals het uwe.",
     "Dien het plan in de volgende ronde opnieuw in: de opzet is goed."),
    ("We missen nog steun uit de buurt zelf.",
     "Haal eerst toezeggingen op bij buren en probeer het daarna opnieuw."),
)  # fmt: skip
# Every contact names an organisation or person and a phone or e-mail (Referral's constraint);
# phone numbers as the service stores them (E.164, core/phones.py).
CONTACTS = (("Gemeente, ideeënmakelaar", "Sanne Bakker", "+31205550101", "ideeen@example.org"),
            ("Vrijwilligerscentrale", "", "+31305550144", ""),
            ("Wijkteam", "Mohamed El Amrani", "", "wijkteam@example.org"))  # fmt: skip
AGREEMENT_SIGNED = "Overeenkomst ondertekend"
ALL_PAID = "Eindverantwoording goedgekeurd en alles betaald"
