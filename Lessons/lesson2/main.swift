print("lesson2: coming soon")
