print("lesson5: coming soon")
